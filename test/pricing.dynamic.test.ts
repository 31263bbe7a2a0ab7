import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignVariant } from '../src/pricing/dynamic/assign-variant.js';
import { loadCatalog, parsePricingRules } from '../src/pricing/index.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { call, tokenize, verifiedEnrollment } from './helpers/flow.js';

type Price = { interval: string; currency: string; amount: number; list_amount: number; adjustments: { reason: string; amount: number }[] };
const priceOf = (body: any, plan: string, interval: 'month' | 'year'): Price => body.plans.find((p: any) => p.id === plan).prices.find((p: Price) => p.interval === interval);

describe('dynamic pricing through the HTTP API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  let n = 0;
  /** Verified enrollment of a customer in `country`. */
  const verified = (country: string) => verifiedEnrollment(t.app, t.deps, `dyn-${n++}@example.com`, country);

  it('shows an Indian visitor the regional price with its reason, and the quote charges exactly that, GST inside', async () => {
    const list = await call(t.app, 'GET', '/v1/plans?country=IN');
    expect(list.status).toBe(200);
    expect(list.body.currency).toBe('INR');
    const shown = priceOf(list.body, 'pro', 'month');
    expect(shown).toMatchObject({ amount: 101940, list_amount: 169900, adjustments: [{ reason: 'ppp_discount', amount: -67960 }] });
    expect(list.body.offer).toMatchObject({ recommended_plan_id: 'pro', order: ['starter', 'pro', 'business'], pricing_version: '2026-11-25', experiments: [] });

    const id = await verified('IN');
    const q = await call(t.app, 'PUT', `/v1/enrollments/${id}/plan`, { plan_id: 'pro', interval: 'month', currency: 'INR' });
    expect(q.status).toBe(200);
    expect(q.body.quote.amount).toBe(shown.amount);
    expect(q.body.quote).toMatchObject({ list_amount: 169900, tax: { mode: 'inclusive', country: 'IN', label: 'gst' } });
    expect(q.body.quote.net + q.body.quote.tax.amount).toBe(q.body.quote.amount);
    expect(q.body.quote.lines.map((l: any) => [l.type, l.reason ?? null, l.amount])).toEqual([['plan', null, 169900], ['adjustment', 'ppp_discount', -67960]]);
    const audit = await t.db.query(`SELECT data FROM audit_events WHERE action = 'enrollment.plan_selected' AND subject_id = $1`, [id]);
    expect(audit.rows[0].data).toMatchObject({ amount: 101940, list_amount: 169900, pricing_version: '2026-11-25', adjustments: [{ reason: 'ppp_discount', amount: -67960 }] });

    await call(t.app, 'PUT', `/v1/enrollments/${id}/payment-method`, { token: await tokenize(t.app) });
    const done = await call(t.app, 'POST', `/v1/enrollments/${id}/complete`);
    expect(done.status).toBe(200);
    const charged = await t.db.query(`SELECT amount, currency FROM gateway_charges ORDER BY created_at DESC LIMIT 1`);
    expect(charged.rows[0]).toMatchObject({ amount: 101940, currency: 'INR' });
  });

  it('keeps list prices where no rule matches (a German visitor)', async () => {
    const de = await call(t.app, 'GET', '/v1/plans?country=DE');
    for (const p of de.body.plans.flatMap((x: any) => x.prices) as Price[]) {
      expect(p.amount).toBe(p.list_amount);
      expect(p.adjustments).toEqual([]);
    }
    expect(priceOf(de.body, 'starter', 'month').amount).toBe(900);
  });

  it('orders the plans for a declared team and gives the team discount it unlocks, the same in list and quote', async () => {
    const list = await call(t.app, 'GET', '/v1/plans?country=BR&team_size=60');
    expect(list.body.offer).toMatchObject({ recommended_plan_id: 'business', order: ['business', 'starter', 'pro'] });
    expect(list.body.plans.map((p: any) => [p.id, p.recommended, p.reasons])).toEqual([
      ['business', true, ['recommended_for_team_size']],
      ['starter', false, ['team_size_above_limit']],
      ['pro', false, ['team_size_above_limit']],
    ]);
    expect(list.body.matrix.columns).toEqual(['business', 'starter', 'pro']);
    const shown = priceOf(list.body, 'business', 'year');
    // BRL 2,490.00: 30 % regional + 10 % team discount on the annual plan.
    expect(shown).toMatchObject({ list_amount: 249000, amount: 149400, adjustments: [{ reason: 'ppp_discount', amount: -74700 }, { reason: 'signal_large_team', amount: -24900 }] });

    const id = await verified('BR');
    const q = await call(t.app, 'PUT', `/v1/enrollments/${id}/plan`, { plan_id: 'business', interval: 'year', currency: 'BRL', team_size: 60 });
    expect(q.status).toBe(200);
    expect(q.body.quote.amount).toBe(shown.amount);
    // Without the declaration the quote is the regional price only, again as the list shows it.
    const plain = await call(t.app, 'PUT', `/v1/enrollments/${id}/plan`, { plan_id: 'business', interval: 'year', currency: 'BRL' });
    expect(plain.body.quote.amount).toBe(priceOf((await call(t.app, 'GET', '/v1/plans?country=BR')).body, 'business', 'year').amount);
    expect(plain.body.quote.amount).toBe(174300);
  });

  it('refuses a malformed signal with a field code', async () => {
    const res = await call(t.app, 'GET', '/v1/plans?team_size=0&visitor_id=x');
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'request_validation_failed', fields: { team_size: ['too_short'], visitor_id: ['invalid_format'] } });
  });

  it('assigns a visitor its experiment variant, prices by it, and logs the first view and each quote', async () => {
    const experiment = t.deps.pricingRules.experiments.find((e) => e.id === 'ppp_depth')!;
    const visitor = Array.from({ length: 100 }, (_, i) => `visitor-${i}-abcdef`).find((v) => assignVariant(experiment, v, new Date()).variant.id === 'deeper')!;
    const first = await call(t.app, 'GET', `/v1/plans?country=IN&visitor_id=${visitor}`);
    expect(first.headers['cache-control']).toContain('private');
    expect(first.body.offer.experiments).toEqual([{ experiment: 'ppp_depth', variant: 'deeper' }]);
    const shown = priceOf(first.body, 'starter', 'year');
    expect(shown).toMatchObject({ list_amount: 799000, amount: 439450, adjustments: [{ reason: 'ppp_discount', amount: -359550 }] });
    await call(t.app, 'GET', `/v1/plans?country=IN&visitor_id=${visitor}`);

    const id = await verified('IN');
    const q = await call(t.app, 'PUT', `/v1/enrollments/${id}/plan`, { plan_id: 'starter', interval: 'year', currency: 'INR', visitor_id: visitor });
    expect(q.body.quote.amount).toBe(shown.amount);
    const { rows } = await t.db.query(
      `SELECT experiment_id, variant_id, surface, quote_id FROM pricing_exposures WHERE visitor_id = $1 ORDER BY created_at, surface`, [visitor],
    );
    expect(rows).toEqual([
      { experiment_id: 'ppp_depth', variant_id: 'deeper', surface: 'plans', quote_id: null },
      { experiment_id: 'ppp_depth', variant_id: 'deeper', surface: 'quote', quote_id: q.body.quote.id },
    ]);
    // Without a visitor id nobody is assigned: the control prices, nothing is logged.
    expect((await call(t.app, 'GET', '/v1/plans?country=IN')).body.offer.experiments).toEqual([]);
  });
});

describe('guardrails through the HTTP API', () => {
  let t: TestApp;
  beforeAll(async () => {
    const catalog = loadCatalog();
    const pricingRules = parsePricingRules(
      {
        version: 'greedy',
        guardrails: { max_percent_off: 50, floor_percent_of_list: 40, floor_minor: { KWD: 5000 } },
        ppp: { IN: 40, KW: 90, JP: 45 },
        campaigns: [{ id: 'everything', starts_at: '2020-01-01T00:00:00Z', ends_at: '2100-01-01T00:00:00Z', percent_off: 45 }],
      },
      catalog,
    );
    t = await createTestApp({}, { pricingRules });
  });
  afterAll(() => t.close());

  it('caps stacked discounts at the maximum off, and at the absolute floor, with the reason shown', async () => {
    const jp = await call(t.app, 'GET', '/v1/plans?country=JP');
    // ¥2,900: 45 % + 45 % asked, 50 % allowed.
    expect(priceOf(jp.body, 'pro', 'month')).toMatchObject({
      amount: 1450,
      adjustments: [{ reason: 'ppp_discount', amount: -1305 }, { reason: 'campaign_everything', amount: -1305 }, { reason: 'capped_by_guardrail', amount: 1160 }],
    });
    const kw = await call(t.app, 'GET', '/v1/plans?country=KW');
    // 6.500 KWD would be 50 % off = 3.250, but the absolute floor is 5.000 KWD; 3.000 KWD is below the floor: no discount.
    expect(priceOf(kw.body, 'pro', 'month').amount).toBe(5000);
    expect(priceOf(kw.body, 'starter', 'month')).toMatchObject({ amount: 3000, list_amount: 3000 });
  });
});
