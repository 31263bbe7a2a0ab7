import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { call, enrollUpToPayment } from './helpers/flow.js';
import { passkeyOwner } from './helpers/passkey-owner.js';
import { createSoftAuthenticator } from './helpers/soft-authenticator.js';

const ORIGIN = 'http://localhost:3000';

describe('referral codes: the referee gets a discount, the referrer earns credit, within the rules', () => {
  let t: TestApp;
  const authenticator = createSoftAuthenticator({ origin: ORIGIN, rpId: 'localhost' });
  beforeAll(async () => {
    t = await createTestApp({ PUBLIC_URL: ORIGIN, RATE_LIMIT_PER_MINUTE: '0' });
  });
  afterAll(() => t.close());

  let n = 0;
  /** A completed customer (email `email`), signed in with a passkey. */
  async function customer(email = `referrer-${n++}@example.com`) {
    const o = await passkeyOwner(t.app, t.deps, authenticator, email);
    return { customerId: o.done.customer_id as string, session: o.session };
  }
  const myCode = (session: Record<string, string>) => call(t.app, 'GET', '/v1/referrals/me', undefined, session);
  async function referee(code: string, email = `referee-${n++}@example.com`) {
    const { id } = await enrollUpToPayment(t.app, t.deps, email);
    const q = await call(t.app, 'PUT', `/v1/enrollments/${id}/plan`, { plan_id: 'starter', interval: 'month', currency: 'EUR', referral_code: code });
    return { id, q };
  }

  it('gives a signed-in customer one stable code', async () => {
    const r = await customer();
    expect((await call(t.app, 'GET', '/v1/referrals/me')).body.code).toBe('session_required');
    const a = await myCode(r.session);
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ code: expect.stringMatching(/^REF-[0-9A-Z]{8}$/), referrals: 0, rewarded: 0, credit: [] });
    expect((await myCode(r.session)).body.code).toBe(a.body.code);
  });

  it('discounts the referee\'s first quote and credits the referrer once the referee completes', async () => {
    const r = await customer();
    const code = (await myCode(r.session)).body.code as string;
    const { id, q } = await referee(code.toLowerCase());
    expect(q.status).toBe(200);
    // 20 % off 9.00 €.
    expect(q.body.quote.amount).toBe(720);
    expect(q.body.quote.lines.map((l: { description_key: string; amount: number }) => [l.description_key, l.amount])).toEqual([['plan.starter.month', 900], [`referral.${code}`, -180]]);
    expect((await myCode(r.session)).body).toMatchObject({ referrals: 0, credit: [] });
    expect((await call(t.app, 'POST', `/v1/enrollments/${id}/complete`)).status).toBe(200);
    expect((await myCode(r.session)).body).toMatchObject({ referrals: 1, rewarded: 1, credit: [{ currency: 'EUR', amount: 1000 }] });
    const audit = await t.db.query(`SELECT data FROM audit_events WHERE action = 'referral.rewarded' AND subject_id = $1`, [r.customerId]);
    expect(audit.rows[0].data).toMatchObject({ credit: 1000, currency: 'EUR', discount: 180 });
  });

  it('stops rewarding at the cap: later referrals are recorded, the referee still gets the discount', async () => {
    const capped = await createTestApp({ PUBLIC_URL: ORIGIN, RATE_LIMIT_PER_MINUTE: '0' }, { referrals: { ...t.deps.referrals, max_rewards_per_referrer: 1 } });
    const main = t;
    try {
      t = capped;
      const r = await customer();
      const code = (await myCode(r.session)).body.code as string;
      for (let i = 0; i < 2; i++) {
        const { id, q } = await referee(code);
        expect(q.body.quote.amount).toBe(720);
        expect((await call(t.app, 'POST', `/v1/enrollments/${id}/complete`)).status).toBe(200);
      }
      expect((await myCode(r.session)).body).toMatchObject({ referrals: 2, rewarded: 1, credit: [{ currency: 'EUR', amount: 1000 }] });
      const audit = await t.db.query(`SELECT action, data->>'reason' AS reason FROM audit_events WHERE subject_id = $1 AND action LIKE 'referral.%' ORDER BY occurred_at, id`, [r.customerId]);
      expect(audit.rows).toEqual([{ action: 'referral.rewarded', reason: null }, { action: 'referral.recorded', reason: 'reward_cap_reached' }]);
    } finally {
      t = main;
      await capped.close();
    }
  });

  it('refuses an unknown code, your own code (also with +tags), and a referral together with a coupon', async () => {
    const r = await customer('owner.self@example.com');
    const code = (await myCode(r.session)).body.code as string;
    const unknown = await referee('REF-ZZZZZZZZ');
    expect(unknown.q).toMatchObject({ status: 422, body: { code: 'pricing_referral_unknown', fields: { referral_code: ['unknown'] } } });
    const own = await referee(code, 'ownerself+again@example.com');
    expect(own.q).toMatchObject({ status: 422, body: { code: 'pricing_referral_not_applicable', fields: { referral_code: ['own_code'] } } });
    await call(t.app, 'POST', '/v1/admin/coupons', { code: 'STACK10', percent_off: 10, duration: 'once' }, { authorization: 'Bearer admin-test-key' });
    const { id } = await enrollUpToPayment(t.app, t.deps, `stacker-${n++}@example.com`);
    const both = await call(t.app, 'PUT', `/v1/enrollments/${id}/plan`, { plan_id: 'starter', interval: 'month', currency: 'EUR', referral_code: code, coupon: 'STACK10' });
    expect(both).toMatchObject({ status: 422, body: { code: 'pricing_referral_not_applicable', fields: { referral_code: ['not_combinable'] } } });
  });
});
