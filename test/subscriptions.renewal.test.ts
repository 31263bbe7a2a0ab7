import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/kernel/clock.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { call, enrollUpToPayment, tokenize } from './helpers/flow.js';

const ADMIN = { authorization: 'Bearer admin-test-key' };

/** Renewals on a test clock: anchored periods, coupons for their duration, a decline → past_due. */
describe('renewals', () => {
  let t: TestApp;
  // The 31st of a month: the anchor must survive February.
  const clock = createManualClock(new Date('2027-01-31T10:00:00.000Z'));
  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_PER_MINUTE: '0' }, { clock });
  });
  afterAll(() => t.close());

  let n = 0;
  const sub = async (id: string) => (await t.db.query(`SELECT status, current_period_start, current_period_end FROM subscriptions WHERE id = $1`, [id])).rows[0];
  const day = (d: Date | string) => new Date(d).toISOString().slice(0, 10);
  const invoices = async (id: string) => (await t.db.query(`SELECT total FROM invoices WHERE subscription_id = $1 ORDER BY created_at, number`, [id])).rows.map((r) => r.total);
  async function active(coupon?: string) {
    const { id } = await enrollUpToPayment(t.app, t.deps, `renew-${n++}@example.com`);
    if (coupon) expect((await call(t.app, 'PUT', `/v1/enrollments/${id}/plan`, { plan_id: 'starter', interval: 'month', currency: 'EUR', coupon })).status).toBe(200);
    const done = await call(t.app, 'POST', `/v1/enrollments/${id}/complete`);
    expect(done.body.subscription.status).toBe('active');
    return done.body.subscription.id as string;
  }
  async function until(date: string) {
    clock.set(new Date(`${date}T10:01:00.000Z`));
    await t.deps.worker.drain();
  }

  it('renews at each period end on the anchor: Jan 31 → Feb 28 → Mar 31 → Apr 30, one charge per period', async () => {
    const id = await active();
    expect(day((await sub(id)).current_period_end)).toBe('2027-02-28');
    await until('2027-02-28');
    expect(day((await sub(id)).current_period_end)).toBe('2027-03-31');
    await until('2027-03-31');
    await t.deps.worker.drain(); // a second pass changes nothing
    const s = await sub(id);
    expect([day(s.current_period_start), day(s.current_period_end), s.status]).toEqual(['2027-03-31', '2027-04-30', 'active']);
    expect(await invoices(id)).toEqual([900, 900, 900]);
    const keys = await t.db.query(`SELECT idempotency_key FROM gateway_charges WHERE idempotency_key LIKE $1 ORDER BY created_at`, [`${id}:renew:%`]);
    expect(keys.rows.map((r) => r.idempotency_key)).toEqual([`${id}:renew:2027-02-28T10:00:00.000Z`, `${id}:renew:2027-03-31T10:00:00.000Z`]);
  });

  it('a coupon applies for its duration: once on the first invoice only, forever on every renewal', async () => {
    clock.set(new Date('2027-01-31T10:00:00.000Z'));
    await call(t.app, 'POST', '/v1/admin/coupons', { code: 'FIRST20', percent_off: 20, duration: 'once' }, ADMIN);
    await call(t.app, 'POST', '/v1/admin/coupons', { code: 'HALF', percent_off: 50, duration: 'forever' }, ADMIN);
    const once = await active('FIRST20');
    const forever = await active('HALF');
    await until('2027-02-28');
    await until('2027-03-31');
    expect(await invoices(once)).toEqual([720, 900, 900]);
    expect(await invoices(forever)).toEqual([450, 450, 450]);
  });

  it('a declined renewal makes the subscription past_due, audited with the decline class', async () => {
    clock.set(new Date('2027-01-31T10:00:00.000Z'));
    const id = await active();
    // The card goes bad after enrollment: the subscription now bills a card whose charges are declined.
    const pm = await t.deps.gateway.createPaymentMethod({ token: await tokenize(t.app, '4000000000000341'), idempotencyKey: `bad-card-${id}` });
    await t.db.query(`UPDATE subscriptions SET payment_method_id = $2 WHERE id = $1`, [id, pm.id]);
    await until('2027-02-28');
    expect((await sub(id)).status).toBe('past_due');
    const audit = await t.db.query(`SELECT data FROM audit_events WHERE subject_id = $1 AND action = 'subscription.renewal_failed'`, [id]);
    expect(audit.rows[0].data).toMatchObject({ decline_code: 'generic_decline', soft: false });
  });
});
