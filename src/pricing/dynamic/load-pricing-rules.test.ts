import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CatalogError, loadCatalog } from '../load-catalog.js';
import { DEFAULT_PRICING_RULES_PATH, loadPricingRules } from './load-pricing-rules.js';

const catalog = loadCatalog();
const dir = mkdtempSync(join(tmpdir(), 'enroll-rules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const shipped = () => JSON.parse(readFileSync(DEFAULT_PRICING_RULES_PATH, 'utf8'));

/** The problem paths of a broken rules file (the part before ": "), sorted. */
function problemPathsOf(mutate: (r: any) => void): string[] {
  const r = shipped();
  mutate(r);
  const file = join(dir, `rules-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(r));
  try {
    loadPricingRules(catalog, file);
  } catch (err) {
    expect(err).toBeInstanceOf(CatalogError);
    expect((err as CatalogError).file).toBe(file);
    return (err as CatalogError).problems.map((p) => p.split(': ')[0]).sort();
  }
  throw new Error('the rules were accepted');
}

describe('loadPricingRules', () => {
  it('loads the shipped rules, frozen, with PPP only for India and Brazil', () => {
    const r = loadPricingRules(catalog);
    expect(r.ppp).toEqual({ IN: 40, BR: 30 });
    expect(r.campaigns).toEqual([]);
    expect(r.guardrails).toMatchObject({ max_percent_off: 50, floor_percent_of_list: 40 });
    expect(Object.isFrozen(r.guardrails)).toBe(true);
    // Countries the rest of the suite prices must keep their list prices (see docs/architecture.md).
    for (const c of ['DE', 'FR', 'JP', 'KW', 'US', 'CA', 'GB']) expect(Object.hasOwn(r.ppp, c)).toBe(false);
  });

  it('loads the example rule set the what-if command is documented with', () => {
    expect(loadPricingRules(catalog, DEFAULT_PRICING_RULES_PATH.replace('pricing-rules.json', 'pricing-rules.example.json')).campaigns[0].id).toBe('black_friday');
  });

  it('refuses a surcharge, a percentage above 100 and a fractional percentage, naming each place', () => {
    expect(problemPathsOf((r) => {
      r.ppp.IN = -10;
      r.ppp.BR = 120;
      r.guardrails.max_percent_off = 12.5;
    })).toEqual(['guardrails.max_percent_off', 'ppp.BR', 'ppp.IN']);
  });

  it('refuses missing guardrails, an unknown field and a malformed country', () => {
    expect(problemPathsOf((r) => {
      delete r.guardrails;
      r.ppp.india = 10;
      r.discounts = [];
    })).toEqual(['discounts', 'guardrails', 'ppp.india']);
  });

  it('refuses a campaign that ends before it starts, names an unknown plan, or repeats an id', () => {
    const c = { id: 'bf', starts_at: '2026-11-30T00:00:00Z', ends_at: '2026-11-27T00:00:00Z', percent_off: 20 };
    expect(problemPathsOf((r) => {
      r.campaigns = [c, { ...c, ends_at: '2026-12-30T00:00:00Z', plans: ['platinum'] }];
    })).toEqual(['campaigns[0].ends_at', 'campaigns[1].id', 'campaigns[1].plans[0]']);
  });

  it('refuses references the catalogue cannot satisfy: a floor in an unlisted currency, a non-numeric feature, a variant naming an unknown plan', () => {
    expect(problemPathsOf((r) => {
      r.guardrails.floor_minor.CHF = 100;
      r.recommend_by.team_size = 'sso';
      r.experiments[0].variants[1].campaigns = [{ id: 'x', starts_at: '2026-11-27T00:00:00Z', ends_at: '2026-12-01T00:00:00Z', percent_off: 5, plans: ['gold'] }];
    })).toEqual(['experiments[0].variants[1].campaigns[0].plans[0]', 'guardrails.floor_minor.CHF', 'recommend_by.team_size']);
  });

  it('refuses an experiment with one variant', () => {
    expect(problemPathsOf((r) => (r.experiments[0].variants = [{ id: 'control', weight: 1 }]))).toEqual(['experiments[0].variants']);
  });

  it('refuses a signal rule with no condition, or a team size range upside down', () => {
    expect(problemPathsOf((r) => {
      r.signal_rules[0].when = {};
      r.signal_rules.push({ id: 'mid', when: { team_size_min: 20, team_size_max: 10 }, percent_off: 5 });
    })).toEqual(['signal_rules[0].when', 'signal_rules[1].when.team_size_max']);
  });
});
