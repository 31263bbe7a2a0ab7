import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../load-catalog.js';
import { assignVariant, resolveRules } from './assign-variant.js';
import { parsePricingRules } from './load-pricing-rules.js';

const catalog = loadCatalog();
const rules = parsePricingRules(
  {
    version: 'exp',
    guardrails: { max_percent_off: 60, floor_percent_of_list: 0 },
    ppp: { IN: 40, BR: 30 },
    experiments: [
      {
        id: 'ppp_depth',
        starts_at: '2026-11-01T00:00:00Z',
        ends_at: '2026-12-01T00:00:00Z',
        variants: [
          { id: 'control', weight: 3 },
          { id: 'deeper', weight: 1, ppp: { IN: 50 }, campaigns: [{ id: 'welcome', starts_at: '2026-11-01T00:00:00Z', ends_at: '2026-12-01T00:00:00Z', percent_off: 5 }] },
        ],
      },
    ],
  },
  catalog,
);
const experiment = rules.experiments[0];
const during = new Date('2026-11-15T00:00:00Z');
const visitors = Array.from({ length: 4000 }, (_, i) => `visitor-${i.toString().padStart(5, '0')}`);

describe('assignVariant', () => {
  it('splits visitors by the weights (3:1), within sampling error', () => {
    const deeper = visitors.filter((v) => assignVariant(experiment, v, during).variant.id === 'deeper').length;
    expect(deeper / visitors.length).toBeGreaterThan(0.22);
    expect(deeper / visitors.length).toBeLessThan(0.28);
  });

  it('assigns the same visitor the same way in another process (a pure hash, no state)', () => {
    const here = visitors.slice(0, 50).map((v) => assignVariant(experiment, v, during).variant.id);
    const script = `import { assignVariant } from './src/pricing/dynamic/assign-variant.ts';
      const e = ${JSON.stringify(experiment)};
      console.log(JSON.stringify(${JSON.stringify(visitors.slice(0, 50))}.map((v) => assignVariant(e, v, new Date('${during.toISOString()}')).variant.id)));`;
    const there = JSON.parse(execFileSync('npx', ['tsx', '--eval', script], { cwd: new URL('../../..', import.meta.url), encoding: 'utf8' }));
    expect(there).toEqual(here);
    expect(new Set(here)).toEqual(new Set(['control', 'deeper']));
  });

  it('gives the control to visitors without an id and to everyone outside the window, and says they were not assigned', () => {
    expect(assignVariant(experiment, undefined, during)).toMatchObject({ variant: { id: 'control' }, assigned: false });
    const inDeeper = visitors.find((v) => assignVariant(experiment, v, during).variant.id === 'deeper')!;
    expect(assignVariant(experiment, inDeeper, new Date('2026-12-01T00:00:00Z'))).toMatchObject({ variant: { id: 'control' }, assigned: false });
    expect(assignVariant(experiment, inDeeper, new Date('2026-10-31T23:59:59Z'))).toMatchObject({ variant: { id: 'control' }, assigned: false });
  });
});

describe('resolveRules', () => {
  it('lays the variant over the base rules: PPP per country, campaigns added, guardrails untouched', () => {
    const inDeeper = visitors.find((v) => assignVariant(experiment, v, during).variant.id === 'deeper')!;
    const inControl = visitors.find((v) => assignVariant(experiment, v, during).variant.id === 'control')!;
    const deeper = resolveRules(rules, inDeeper, during);
    expect(deeper.assignments).toEqual([{ experiment: 'ppp_depth', variant: 'deeper' }]);
    expect(deeper.rules.ppp).toEqual({ IN: 50, BR: 30 });
    expect(deeper.rules.campaigns.map((c) => c.id)).toEqual(['welcome']);
    expect(deeper.rules.guardrails).toBe(rules.guardrails);
    const control = resolveRules(rules, inControl, during);
    expect(control.assignments).toEqual([{ experiment: 'ppp_depth', variant: 'control' }]);
    expect(control.rules.ppp).toEqual({ IN: 40, BR: 30 });
    expect(resolveRules(rules, undefined, during).assignments).toEqual([]);
  });
});
