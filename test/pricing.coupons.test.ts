import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/kernel/clock.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { call, enrollUpToPayment } from './helpers/flow.js';

const ADMIN = { authorization: 'Bearer admin-test-key' };

describe('coupons: created by an admin, priced into the signed quote, redeemed atomically at completion', () => {
  let t: TestApp;
  const clock = createManualClock(new Date('2026-11-25T10:00:00.000Z'));
  beforeAll(async () => {
    // Fifty enrollments from one test IP: the per-IP budget is not what this file is about.
    t = await createTestApp({ RATE_LIMIT_PER_MINUTE: '0', RATE_LIMIT_ENROLLMENT_PER_MINUTE: '0' }, { clock });
  });
  afterAll(() => t.close());

  let n = 0;
  const coupon = (body: Record<string, unknown>) => call(t.app, 'POST', '/v1/admin/coupons', { duration: 'once', ...body }, ADMIN);
  /** An enrollment at the payment step, then its plan re-selected with `code` (the card stays attached). */
  async function withCoupon(code: string | undefined, plan: { plan_id?: string; interval?: string; currency?: string } = {}) {
    const { id } = await enrollUpToPayment(t.app, t.deps, `coupon-${n++}@example.com`);
    const q = await call(t.app, 'PUT', `/v1/enrollments/${id}/plan`, { plan_id: 'starter', interval: 'month', currency: 'EUR', ...plan, ...(code ? { coupon: code } : {}) });
    return { id, q };
  }

  it('only an admin creates coupons, and a code is never reused', async () => {
    expect((await call(t.app, 'POST', '/v1/admin/coupons', { code: 'NOPE10', percent_off: 10, duration: 'once' })).status).toBe(401);
    const created = await coupon({ code: 'welcome20', percent_off: 20, plans: ['starter'], max_redemptions: 100 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ code: 'WELCOME20', percent_off: 20, amount_off: null, redeemed: 0, max_redemptions: 100 });
    const again = await coupon({ code: 'WELCOME20', percent_off: 5 });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('promotion_coupon_exists');
    const both = await coupon({ code: 'BOTH', percent_off: 5, amount_off: { EUR: 100 } });
    expect(both.status).toBe(422);
    expect(both.body.fields).toHaveProperty('percent_off');
  });

  it('discounts the list price before tax, charges exactly the quote, and records the redemption', async () => {
    const { id, q } = await withCoupon('welcome20');
    expect(q.status).toBe(200);
    // 9.00 € − 20 % = 7.20 €, German VAT inside: 1.15 € of it.
    expect(q.body.quote).toMatchObject({ amount: 720, net: 605, tax: { amount: 115 } });
    expect(q.body.quote.lines.map((l: { description_key: string; amount: number }) => [l.description_key, l.amount])).toEqual([['plan.starter.month', 900], ['coupon.WELCOME20', -180]]);
    const done = await call(t.app, 'POST', `/v1/enrollments/${id}/complete`);
    expect(done.status).toBe(200);
    const charged = await t.db.query(`SELECT amount FROM gateway_charges ORDER BY created_at DESC LIMIT 1`);
    expect(charged.rows[0].amount).toBe(720);
    expect((await call(t.app, 'GET', '/v1/admin/coupons/WELCOME20', undefined, ADMIN)).body.redeemed).toBe(1);
    const sub = await t.db.query(`SELECT discount FROM subscriptions WHERE id = $1`, [done.body.subscription.id]);
    expect(sub.rows[0].discount).toMatchObject({ coupon: 'WELCOME20', percent_off: 20, duration: 'once' });
  });

  it('refuses with the specific code: unknown, outside its window, not for this plan or currency, used up', async () => {
    await coupon({ code: 'EURONLY', amount_off: { EUR: 300 }, duration: 'forever' });
    await coupon({ code: 'LATER', percent_off: 10, valid_from: '2026-12-01T00:00:00.000Z' });
    await coupon({ code: 'OVER', percent_off: 10, valid_until: '2026-11-25T09:00:00.000Z' });
    await coupon({ code: 'YEARLY', percent_off: 10, intervals: ['year'] });
    await coupon({ code: 'ONEONLY', percent_off: 10, max_redemptions: 1 });
    const cases: [string | undefined, Record<string, string>, string][] = [
      ['NOSUCH', {}, 'pricing_coupon_unknown'],
      ['LATER', {}, 'pricing_coupon_expired'],
      ['OVER', {}, 'pricing_coupon_expired'],
      ['WELCOME20', { plan_id: 'pro' }, 'pricing_coupon_not_applicable'],
      ['YEARLY', {}, 'pricing_coupon_not_applicable'],
      ['EURONLY', { currency: 'USD' }, 'pricing_coupon_not_applicable'],
    ];
    for (const [code, plan, expected] of cases) {
      const { q } = await withCoupon(code, plan);
      expect(q.status, code).toBe(422);
      expect(q.body.code, code).toBe(expected);
      expect(q.body.fields, code).toHaveProperty('coupon');
    }
    const fixed = await withCoupon('EURONLY');
    expect(fixed.q.body.quote).toMatchObject({ amount: 600 });
    const first = await withCoupon('ONEONLY');
    expect((await call(t.app, 'POST', `/v1/enrollments/${first.id}/complete`)).status).toBe(200);
    const second = await withCoupon('ONEONLY');
    expect(second.q.body.code).toBe('pricing_coupon_exhausted');
  });

  it('holds its redemption limit under 50 concurrent completions: exactly 10 of them get the discount', async () => {
    await coupon({ code: 'TEN', percent_off: 50, max_redemptions: 10 });
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) {
      const { id, q } = await withCoupon('TEN');
      expect(q.status).toBe(200);
      ids.push(id);
    }
    const results = await Promise.all(ids.map((id) => call(t.app, 'POST', `/v1/enrollments/${id}/complete`)));
    const ok = results.filter((r) => r.status === 200);
    const refused = results.filter((r) => r.status !== 200);
    expect(ok).toHaveLength(10);
    expect(refused.map((r) => r.body.code)).toEqual(Array(40).fill('pricing_coupon_exhausted'));
    const { rows } = await t.db.query(`SELECT redeemed, (SELECT count(*)::int FROM coupon_redemptions WHERE coupon_code = 'TEN') AS rows FROM coupons WHERE code = 'TEN'`);
    expect(rows[0]).toEqual({ redeemed: 10, rows: 10 });
    // No customer for the losers; any of them whose card was charged gets the money back through the outbox.
    const customers = await t.db.query(`SELECT count(*)::int AS n FROM customers WHERE enrollment_id = ANY($1)`, [ids]);
    expect(customers.rows[0].n).toBe(10);
    const charged = await t.db.query(`SELECT count(*)::int AS n FROM gateway_charges WHERE amount = 450 AND captured`);
    const refunds = await t.db.query(`SELECT count(*)::int AS n FROM outbox_jobs WHERE type = 'refund-charge' AND payload->>'reason' = 'coupon_exhausted'`);
    expect(charged.rows[0].n).toBeGreaterThanOrEqual(10);
    expect(refunds.rows[0].n).toBe(charged.rows[0].n - 10);
  }, 120_000);
});
