import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyTax } from '../apply-tax.js';
import { loadCatalog } from '../load-catalog.js';
import { INTERVALS } from '../schemas.js';
import { loadTaxRules } from '../tax-rules.js';
import type { AdjustedPrice } from './adjust-price.js';
import { assignVariant } from './assign-variant.js';
import { parsePricingRules } from './load-pricing-rules.js';
import { priceOffer } from './price-offer.js';
import type { PricingRules } from './rules-schema.js';

// "Dynamic pricing never exceeds its guardrails" (issue 4, done means), checked over random rule sets and inputs.
const catalog = loadCatalog();
const taxRules = loadTaxRules();
const countries = ['IN', 'BR', 'DE', 'FR', 'JP', 'KW', 'US', 'GB', 'XX'];
const planIds = catalog.plans.map((p) => p.id);
const epoch = Date.parse('2026-01-01T00:00:00Z');
const year = 365 * 86_400_000;

const percent = fc.integer({ min: 0, max: 100 });
const instant = fc.integer({ min: epoch, max: epoch + year });
const subset = <T>(values: readonly T[]) => fc.option(fc.subarray([...values], { minLength: 1 }), { nil: undefined });
const window = fc.tuple(instant, fc.integer({ min: 1, max: year / 4 })).map(([s, d]) => ({ starts_at: new Date(s).toISOString(), ends_at: new Date(s + d).toISOString() }));
const ppp = fc.dictionary(fc.constantFrom(...countries.filter((c) => c !== 'XX')), percent, { maxKeys: 5 });
const ids = (prefix: string, n: number) => fc.uniqueArray(fc.integer({ min: 0, max: 99 }), { maxLength: n }).map((xs) => xs.map((x) => `${prefix}${x}`));
const campaigns = ids('c', 4).chain((names) =>
  fc.tuple(...names.map((id) => fc.record({ id: fc.constant(id), window, percent_off: percent, plans: subset(planIds), intervals: subset(INTERVALS), countries: subset(countries) }))),
).map((cs) => cs.map(({ window: w, ...c }) => ({ ...c, ...w })));
const signalRules = ids('s', 3).chain((names) =>
  fc.tuple(
    ...names.map((id) =>
      fc.record({
        id: fc.constant(id),
        when: fc.record({ team_size_min: fc.integer({ min: 1, max: 200 }), projects_min: fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }) }),
        percent_off: percent,
        plans: subset(planIds),
        intervals: subset(INTERVALS),
      }),
    ),
  ),
);
const experiments = ids('x', 2).chain((names) =>
  fc.tuple(
    ...names.map((id) =>
      fc.record({
        id: fc.constant(id),
        variants: fc.tuple(ppp, campaigns, fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: 100 })).map(([p, c, w1, w2]) => [
          { id: 'control', weight: w1 },
          { id: 'treatment', weight: w2, ppp: p, campaigns: c },
        ]),
      }),
    ),
  ),
);
const floorMinor = fc.dictionary(fc.constantFrom(...catalog.currencies), fc.integer({ min: 0, max: 1_000_000_000 }), { maxKeys: 4 });

/** A random rule set that the loader accepts: the engine is only ever given validated rules. */
const ruleSet = fc
  .record({ max: percent, floor: percent, floorMinor, ppp, campaigns, signalRules, experiments })
  .map((r) =>
    parsePricingRules(
      {
        version: 'prop',
        guardrails: { max_percent_off: r.max, floor_percent_of_list: r.floor, floor_minor: r.floorMinor },
        ppp: r.ppp,
        campaigns: r.campaigns,
        signal_rules: r.signalRules,
        experiments: r.experiments,
        recommend_by: { team_size: 'seats' },
      },
      catalog,
    ),
  );

const input = fc.record({
  planId: fc.constantFrom(...planIds),
  interval: fc.constantFrom(...INTERVALS),
  currency: fc.constantFrom(...catalog.currencies),
  list: fc.oneof(fc.integer({ min: 0, max: 100_000_000 }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })),
  country: fc.option(fc.constantFrom(...countries), { nil: undefined }),
  at: instant.map((t) => new Date(t)),
  signals: fc.record({ team_size: fc.option(fc.integer({ min: 1, max: 300 }), { nil: undefined }), projects: fc.option(fc.integer({ min: 1, max: 300 }), { nil: undefined }) }),
  visitorId: fc.option(fc.stringMatching(/^[A-Za-z0-9_-]{8,20}$/), { nil: undefined }),
});

/** Every way a price can break the guardrails; empty when it holds them all. */
function violations(rules: PricingRules, currency: string, p: AdjustedPrice): string[] {
  const g = rules.guardrails;
  const out: string[] = [];
  if (!p.adjustments.every((a) => /^(ppp_discount|campaign_[a-z0-9_]+|signal_[a-z0-9_]+|capped_by_guardrail)$/.test(a.reason))) out.push('unknown_reason');
  if (!Number.isSafeInteger(p.amount) || !p.adjustments.every((a) => Number.isSafeInteger(a.amount))) return ['not_integer', ...out];
  if (p.amount > p.list) out.push('above_list');
  if (BigInt(p.amount) * 100n < BigInt(p.list) * BigInt(g.floor_percent_of_list)) out.push('below_percent_floor');
  if (p.amount < Math.min(g.floor_minor[currency] ?? 0, p.list)) out.push('below_absolute_floor');
  if (BigInt(p.list - p.amount) * 100n > BigInt(p.list) * BigInt(g.max_percent_off)) out.push('over_max_percent_off');
  if (p.list + p.adjustments.reduce((s, a) => s + a.amount, 0) !== p.amount) out.push('lines_do_not_add_up');
  return out;
}

describe('dynamic pricing guardrails (property tests)', () => {
  it('the checker itself catches each kind of violation', () => {
    const r = parsePricingRules({ version: 'v', guardrails: { max_percent_off: 50, floor_percent_of_list: 40, floor_minor: { EUR: 300 } } }, catalog);
    expect(violations(r, 'EUR', { list: 1000, amount: 1000, adjustments: [] })).toEqual([]);
    expect(violations(r, 'EUR', { list: 1000, amount: 1001, adjustments: [{ reason: 'ppp_discount', amount: 1 }] })).toEqual(['above_list']);
    expect(violations(r, 'EUR', { list: 1000, amount: 499, adjustments: [{ reason: 'ppp_discount', amount: -501 }] })).toEqual(['over_max_percent_off']);
    expect(violations(r, 'EUR', { list: 250, amount: 200, adjustments: [{ reason: 'ppp_discount', amount: -50 }] })).toEqual(['below_absolute_floor']);
    expect(violations(r, 'EUR', { list: 1000, amount: 800.5, adjustments: [{ reason: 'x', amount: -199.5 }] })).toEqual(['not_integer', 'unknown_reason']);
    const floor = parsePricingRules({ version: 'v', guardrails: { max_percent_off: 90, floor_percent_of_list: 40 } }, catalog);
    expect(violations(floor, 'EUR', { list: 1000, amount: 399, adjustments: [{ reason: 'ppp_discount', amount: -601 }] })).toEqual(['below_percent_floor']);
    expect(violations(floor, 'EUR', { list: 1000, amount: 900, adjustments: [] })).toEqual(['lines_do_not_add_up']);
  });

  it('never prices above list, below either floor, or more than the maximum off; integers whose lines add up', () => {
    fc.assert(
      fc.property(ruleSet, input, (rules, i) => {
        const p = priceOffer({ rules, signals: i.signals, visitorId: i.visitorId }, i);
        expect(violations(rules, i.currency, p)).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });

  it('net + tax = gross after tax, in integers, with net never above list, in every tax country', () => {
    const taxCountries = [...Object.keys(taxRules.countries), 'XX'];
    fc.assert(
      fc.property(ruleSet, input, fc.constantFrom(...taxCountries), (rules, i, country) => {
        const p = priceOffer({ rules, signals: i.signals, visitorId: i.visitorId }, { ...i, country, list: Math.min(i.list, 1e12) });
        const t = applyTax(taxRules, p.amount, { country });
        expect([t.gross, t.net, t.tax].every(Number.isSafeInteger)).toBe(true);
        expect(t.net + t.tax).toBe(t.gross);
        expect(t.net).toBeLessThanOrEqual(p.list);
        expect(t.tax).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 500 },
    );
  });

  it('assigns a visitor the same variant every time', () => {
    fc.assert(
      fc.property(experiments.filter((xs) => xs.length > 0), fc.stringMatching(/^[A-Za-z0-9_-]{8,20}$/), (xs, visitor) => {
        const e = parsePricingRules({ version: 'v', guardrails: { max_percent_off: 0, floor_percent_of_list: 0 }, experiments: xs }, catalog).experiments[0];
        const when = new Date(epoch);
        expect(assignVariant(e, visitor, when).variant.id).toBe(assignVariant(e, visitor, when).variant.id);
      }),
      { numRuns: 200 },
    );
  });
});
