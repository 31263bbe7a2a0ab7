import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/kernel/clock.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { createTestDb } from './helpers/db.js';
import { call, enrollUpToPayment } from './helpers/flow.js';

const DAY = 86_400_000;

/** Trial → paid on a test clock: the conversion is a durable scheduled job that fires when the clock passes the trial's end. */
describe('trial to paid', () => {
  const clock = createManualClock(new Date());
  let db: Awaited<ReturnType<typeof createTestDb>>;
  let a: TestApp;
  beforeAll(async () => {
    db = await createTestDb();
    a = await createTestApp({}, { clock, db: Object.assign(Object.create(db), { dropAfter: undefined }) });
  });
  afterAll(async () => {
    await a.app.close();
    await a.deps.worker.stop();
    await db.dropAfter();
  });

  let n = 0;
  const sub = async (id: string) => (await db.query(`SELECT status, trial_end, current_period_start, current_period_end FROM subscriptions WHERE id = $1`, [id])).rows[0];
  const captured = async (key: string) => (await db.query(`SELECT count(*)::int AS n, max(amount) AS amount FROM gateway_charges WHERE idempotency_key = $1 AND captured`, [key])).rows[0];
  async function trialing(card?: string) {
    const { id } = await enrollUpToPayment(a.app, a.deps, `trial-${n++}@example.com`, { plan: 'pro', card });
    const done = await call(a.app, 'POST', `/v1/enrollments/${id}/complete`);
    expect(done.body.subscription.status).toBe('trialing');
    return done.body.subscription.id as string;
  }

  it('charges the card on file when the trial ends, once, and starts the first paid period there: also after a restart', async () => {
    const id = await trialing();
    const { trial_end: trialEnd } = await sub(id);
    await a.deps.worker.drain();
    expect((await sub(id)).status).toBe('trialing'); // not due yet
    // The enrollment is in de-DE: the reminder is German.
    const mails = () => a.deps.mailbox!.list().filter((m) => m.subject === 'Ihre Pro-Testphase endet bald');
    expect(mails()).toHaveLength(0);
    // Three days before the end: the reminder, with the date and the amount to be charged.
    clock.advance(11 * DAY + 60_000);
    await a.deps.worker.drain();
    expect(mails()).toHaveLength(1);
    expect(mails()[0]!.text).toMatch(/19,00\s€/);
    expect((await sub(id)).status).toBe('trialing');
    clock.advance(-(11 * DAY + 60_000));
    // A restart: another process (new app, new worker) on the same database picks the job up.
    const b = await createTestApp({}, { clock, db: Object.assign(Object.create(db), { dropAfter: undefined }) });
    try {
      clock.advance(14 * DAY + 60_000);
      await b.deps.worker.drain();
      const after = await sub(id);
      expect(after.status).toBe('active');
      expect(new Date(after.current_period_start).getTime()).toBe(new Date(trialEnd).getTime());
      const end = new Date(trialEnd);
      end.setUTCMonth(end.getUTCMonth() + 1);
      expect(new Date(after.current_period_end).getTime()).toBe(end.getTime());
      expect(await captured(`${id}:trial-convert`)).toEqual({ n: 1, amount: 1900 });
      const inv = await db.query(`SELECT total, status FROM invoices WHERE subscription_id = $1 ORDER BY created_at DESC LIMIT 1`, [id]);
      expect(inv.rows[0]).toEqual({ total: 1900, status: 'paid' });
      const audit = await db.query(`SELECT count(*)::int AS n FROM audit_events WHERE subject_id = $1 AND action = 'subscription.trial_converted'`, [id]);
      expect(audit.rows[0].n).toBe(1);
      await b.deps.worker.drain();
      expect(await captured(`${id}:trial-convert`)).toEqual({ n: 1, amount: 1900 });
    } finally {
      await b.app.close();
      await b.deps.worker.stop();
    }
  });

  it('the first paid invoice of a trial carries the coupon: once at conversion only, forever at every renewal', async () => {
    const admin = { authorization: 'Bearer admin-test-key' };
    await call(a.app, 'POST', '/v1/admin/coupons', { code: 'TRIALONCE', percent_off: 50, duration: 'once' }, admin);
    await call(a.app, 'POST', '/v1/admin/coupons', { code: 'TRIALEVER', percent_off: 50, duration: 'forever' }, admin);
    const ids: Record<string, string> = {};
    for (const code of ['TRIALONCE', 'TRIALEVER']) {
      const { id: enr } = await enrollUpToPayment(a.app, a.deps, `trial-coupon-${n++}@example.com`, { plan: 'pro' });
      expect((await call(a.app, 'PUT', `/v1/enrollments/${enr}/plan`, { plan_id: 'pro', interval: 'month', currency: 'EUR', coupon: code })).body.quote.amount).toBe(950);
      ids[code] = (await call(a.app, 'POST', `/v1/enrollments/${enr}/complete`)).body.subscription.id;
    }
    clock.advance(14 * DAY + 60_000);
    await a.deps.worker.drain();
    clock.advance(31 * DAY);
    await a.deps.worker.drain();
    const totals = async (id: string) => (await db.query(`SELECT total FROM invoices WHERE subscription_id = $1 ORDER BY created_at, number`, [id])).rows.map((r) => r.total);
    expect(await totals(ids.TRIALONCE!)).toEqual([0, 950, 1900]);
    expect(await totals(ids.TRIALEVER!)).toEqual([0, 950, 950]);
  });

  it('a card declined at the trial\'s end leaves the subscription past_due (the configured end behaviour)', async () => {
    const id = await trialing('4000000000000341'); // validates, then declines charges
    clock.advance(14 * DAY + 60_000);
    await a.deps.worker.drain();
    expect((await sub(id)).status).toBe('past_due');
    const audit = await db.query(`SELECT data FROM audit_events WHERE subject_id = $1 AND action = 'subscription.trial_conversion_failed'`, [id]);
    expect(audit.rows[0].data).toMatchObject({ decline_code: 'generic_decline', soft: false, status: 'past_due' });
    // Dunning takes over: one last try after the grace period for a hard decline.
    const cases = await db.query(`SELECT status, attempts, soft FROM dunning_cases WHERE subscription_id = $1`, [id]);
    expect(cases.rows).toEqual([{ status: 'open', attempts: 1, soft: false }]);
  });
});
