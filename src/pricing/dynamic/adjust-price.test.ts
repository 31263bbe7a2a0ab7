import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../load-catalog.js';
import { adjustPrice, guardrailBounds, percentOf } from './adjust-price.js';
import { parsePricingRules } from './load-pricing-rules.js';

const catalog = loadCatalog();
const at = new Date('2026-11-28T12:00:00Z');
const rules = (over: Record<string, unknown> = {}) =>
  parsePricingRules({ version: 't1', guardrails: { max_percent_off: 50, floor_percent_of_list: 40 }, ...over }, catalog);
const price = (r: ReturnType<typeof rules>, p: Partial<Parameters<typeof adjustPrice>[1]> = {}) =>
  adjustPrice(r, { planId: 'pro', interval: 'month', currency: 'EUR', list: 1900, at, ...p });

describe('adjustPrice', () => {
  it('leaves the list price alone when no rule matches', () => {
    expect(price(rules({ ppp: { IN: 40 } }), { country: 'DE' })).toEqual({ list: 1900, amount: 1900, adjustments: [] });
  });

  it('takes the regional (PPP) percentage off, rounding the discount down, in INR', () => {
    expect(price(rules({ ppp: { IN: 40 } }), { currency: 'INR', list: 169900, country: 'IN' })).toEqual({
      list: 169900, amount: 101940, adjustments: [{ reason: 'ppp_discount', amount: -67960 }],
    });
  });

  it('keeps JPY whole yen and KWD whole fils', () => {
    // 33 % of ¥2,900 is 957 yen; of 6.500 KWD it is 2.145 KWD: no fractions of a minor unit anywhere.
    const r = rules({ ppp: { JP: 33, KW: 33 } });
    expect(price(r, { currency: 'JPY', list: 2900, country: 'JP' })).toMatchObject({ amount: 1943, adjustments: [{ reason: 'ppp_discount', amount: -957 }] });
    expect(price(r, { currency: 'KWD', list: 6500, country: 'KW' })).toMatchObject({ amount: 4355, adjustments: [{ reason: 'ppp_discount', amount: -2145 }] });
    // 1 % of ¥99 rounds the discount down to nothing: no zero line is shown.
    expect(price(rules({ ppp: { JP: 1 } }), { currency: 'JPY', list: 99, country: 'JP' })).toEqual({ list: 99, amount: 99, adjustments: [] });
  });

  it('applies a campaign only inside its window, to its plans and intervals', () => {
    const r = rules({ campaigns: [{ id: 'black_friday', starts_at: '2026-11-27T00:00:00Z', ends_at: '2026-12-01T00:00:00Z', plans: ['pro'], intervals: ['year'], percent_off: 20 }] });
    expect(price(r, { interval: 'year', list: 19000 }).adjustments).toEqual([{ reason: 'campaign_black_friday', amount: -3800 }]);
    expect(price(r, { interval: 'month' }).adjustments).toEqual([]);
    expect(price(r, { interval: 'year', list: 19000, planId: 'starter' }).adjustments).toEqual([]);
    // The window is [starts_at, ends_at): the first instant counts, the end does not.
    expect(price(r, { interval: 'year', list: 19000, at: new Date('2026-11-27T00:00:00Z') }).amount).toBe(15200);
    expect(price(r, { interval: 'year', list: 19000, at: new Date('2026-12-01T00:00:00Z') }).amount).toBe(19000);
  });

  it('applies a signal rule only when the declared team size is in range', () => {
    const r = rules({ signal_rules: [{ id: 'large_team', when: { team_size_min: 50 }, plans: ['business'], percent_off: 10 }] });
    expect(price(r, { planId: 'business', list: 4900, signals: { team_size: 50 } }).adjustments).toEqual([{ reason: 'signal_large_team', amount: -490 }]);
    expect(price(r, { planId: 'business', list: 4900, signals: { team_size: 49 } }).adjustments).toEqual([]);
    expect(price(r, { planId: 'business', list: 4900 }).adjustments).toEqual([]);
  });

  it('caps stacked discounts at the maximum percentage off, and says so', () => {
    const r = rules({
      ppp: { IN: 40 },
      campaigns: [{ id: 'launch', starts_at: '2026-11-01T00:00:00Z', ends_at: '2026-12-31T00:00:00Z', percent_off: 30 }],
    });
    const p = price(r, { currency: 'INR', list: 100000, country: 'IN' });
    // 40 % + 30 % = 70 % asked; the guardrail allows 50 %, so 20 % is taken back.
    expect(p).toEqual({
      list: 100000,
      amount: 50000,
      adjustments: [{ reason: 'ppp_discount', amount: -40000 }, { reason: 'campaign_launch', amount: -30000 }, { reason: 'capped_by_guardrail', amount: 20000 }],
    });
    expect(p.list + p.adjustments.reduce((s, a) => s + a.amount, 0)).toBe(p.amount);
  });

  it('never goes below the floor: a share of list, or an absolute amount per currency', () => {
    const share = rules({ guardrails: { max_percent_off: 90, floor_percent_of_list: 75 }, ppp: { BR: 60 } });
    expect(price(share, { currency: 'BRL', list: 9900, country: 'BR' }).amount).toBe(7425);
    const absolute = rules({ guardrails: { max_percent_off: 90, floor_percent_of_list: 0, floor_minor: { BRL: 8000 } }, ppp: { BR: 60 } });
    expect(price(absolute, { currency: 'BRL', list: 9900, country: 'BR' }).amount).toBe(8000);
    // An absolute floor above the list price means no discount, never a surcharge.
    expect(price(absolute, { currency: 'BRL', list: 4900, country: 'BR' })).toMatchObject({ amount: 4900 });
  });

  it('computes guardrail bounds and percentages in integers, also for amounts beyond float precision', () => {
    expect(guardrailBounds(rules(), 1000, 'EUR')).toEqual({ lowest: 500, highest: 1000 });
    expect(percentOf(Number.MAX_SAFE_INTEGER, 99, 'down')).toBe(8917127262193581); // (2^53 − 1) × 99 / 100 = …581.09, exactly
    expect(percentOf(101, 50, 'up')).toBe(51);
    expect(percentOf(101, 50, 'down')).toBe(50);
  });
});
