import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/kernel/clock.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { call, enrollUpToPayment, tokenize } from './helpers/flow.js';
import { passkeyOwner, sessionCookie } from './helpers/passkey-owner.js';
import { createSoftAuthenticator } from './helpers/soft-authenticator.js';

const DAY = 86_400_000;
const ORIGIN = 'http://localhost:3000';

/** Dunning on a test clock: retries by decline class, recovery, and the final action. */
describe('dunning', () => {
  let t: TestApp;
  const clock = createManualClock(new Date('2027-03-01T10:00:00.000Z'));
  const authenticator = createSoftAuthenticator({ origin: ORIGIN, rpId: 'localhost' });
  beforeAll(async () => {
    t = await createTestApp({ PUBLIC_URL: ORIGIN, RATE_LIMIT_PER_MINUTE: '0', DUNNING_FINAL_ACTION: 'pause' }, { clock });
  });
  afterAll(() => t.close());

  let n = 0;
  const sub = async (id: string) => (await t.db.query(`SELECT status, current_period_end FROM subscriptions WHERE id = $1`, [id])).rows[0];
  const dunning = async (id: string) => (await t.db.query(`SELECT status, attempts, soft FROM dunning_cases WHERE subscription_id = $1`, [id])).rows;
  const actions = async (id: string) =>
    (await t.db.query(`SELECT action FROM audit_events WHERE subject_id = $1 AND (action LIKE 'dunning.%' OR action LIKE 'subscription.re%') ORDER BY occurred_at, id`, [id])).rows.map((r) => r.action);
  const sentTemplates = async () => (await t.db.query(`SELECT template FROM notifications_sent WHERE template IN ('payment-failed', 'subscription-ended') ORDER BY sent_at`)).rows.map((r) => r.template);
  async function at(ms: number) {
    clock.set(new Date(ms));
    await t.deps.worker.drain();
  }
  /** An active monthly subscription from Mar 1, whose card is then swapped for `card` (it went bad). */
  async function renewingWith(card: string) {
    clock.set(new Date('2027-03-01T10:00:00.000Z'));
    const { id: enr } = await enrollUpToPayment(t.app, t.deps, `dunning-${n++}@example.com`);
    const done = await call(t.app, 'POST', `/v1/enrollments/${enr}/complete`);
    const id = done.body.subscription.id as string;
    const pm = await t.deps.gateway.createPaymentMethod({ token: await tokenize(t.app, card), idempotencyKey: `bad-${id}` });
    await t.db.query(`UPDATE subscriptions SET payment_method_id = $2 WHERE id = $1`, [id, pm.id]);
    return id;
  }
  const renewalAt = new Date('2027-04-01T10:00:00.000Z').getTime() + 60_000;

  it('a soft decline is retried on days 1, 3, 5 and 7, with emails; after the last the final action applies (pause here)', async () => {
    const before = (await sentTemplates()).length;
    const id = await renewingWith('4000000000009995'); // insufficient funds: soft
    await at(renewalAt);
    expect((await sub(id)).status).toBe('past_due');
    expect(await dunning(id)).toEqual([{ status: 'open', attempts: 1, soft: true }]);
    for (const d of [1, 3, 5]) {
      await at(renewalAt + d * DAY);
      expect(await dunning(id)).toEqual([{ status: 'open', attempts: 1 + [1, 3, 5].indexOf(d) + 1, soft: true }]);
      expect((await sub(id)).status).toBe('past_due');
    }
    await at(renewalAt + 7 * DAY);
    expect(await dunning(id)).toEqual([{ status: 'exhausted', attempts: 5, soft: true }]);
    expect((await sub(id)).status).toBe('paused');
    // Rows written in one transaction share a timestamp, so compare as a multiset.
    expect((await actions(id)).sort()).toEqual(['dunning.exhausted', 'dunning.opened', 'dunning.retry_failed', 'dunning.retry_failed', 'dunning.retry_failed', 'subscription.renewal_failed']);
    // An email at every step: the failure, each failed retry with a next date (days 1, 3, 5), then the end.
    expect((await sentTemplates()).slice(before)).toEqual(['payment-failed', 'payment-failed', 'payment-failed', 'payment-failed', 'subscription-ended']);
  });

  it('a hard decline gets one last try after the grace period (day 7)', async () => {
    const id = await renewingWith('4000000000000341'); // generic decline: hard
    await at(renewalAt);
    expect(await dunning(id)).toEqual([{ status: 'open', attempts: 1, soft: false }]);
    await at(renewalAt + 5 * DAY);
    expect(await dunning(id)).toEqual([{ status: 'open', attempts: 1, soft: false }]);
    await at(renewalAt + 7 * DAY);
    expect(await dunning(id)).toEqual([{ status: 'exhausted', attempts: 2, soft: false }]);
    expect((await sub(id)).status).toBe('paused');
  });

  it('recovers when the customer updates the card: charged at once, active again in the next period', async () => {
    clock.set(new Date('2027-03-01T10:00:00.000Z'));
    const o = await passkeyOwner(t.app, t.deps, authenticator, `dunning-owner-${n++}@example.com`);
    const id = o.done.subscription.id as string;
    const bad = await t.deps.gateway.createPaymentMethod({ token: await tokenize(t.app, '4000000000009995'), idempotencyKey: `bad-${id}` });
    await t.db.query(`UPDATE subscriptions SET payment_method_id = $2 WHERE id = $1`, [id, bad.id]);
    await at(renewalAt);
    expect((await sub(id)).status).toBe('past_due');
    // A month later the first session has expired: sign in with the passkey, step up with it, give a good card.
    clock.set(new Date(renewalAt + 2 * 3_600_000));
    const so = await call(t.app, 'POST', '/v1/sessions/passkey/options');
    const session = sessionCookie(await call(t.app, 'POST', '/v1/sessions/passkey', authenticator.get(so.body, o.credentialId)));
    const opts = await call(t.app, 'POST', '/v1/sessions/step-up/passkey/options', undefined, session);
    const up = sessionCookie(await call(t.app, 'POST', '/v1/sessions/step-up/passkey', authenticator.get(opts.body, o.credentialId), session));
    const changed = await call(t.app, 'PUT', `/v1/subscriptions/${id}/payment-method`, { token: await tokenize(t.app, '4242424242424242') }, up);
    expect(changed.status).toBe(200);
    await t.deps.worker.drain();
    const s = await sub(id);
    expect(s.status).toBe('active');
    expect(new Date(s.current_period_end).toISOString()).toBe('2027-05-01T10:00:00.000Z');
    expect(await dunning(id)).toEqual([{ status: 'recovered', attempts: 2, soft: true }]);
    expect((await actions(id)).filter((a) => a.endsWith('recovered')).sort()).toEqual(['dunning.recovered', 'subscription.recovered']);
  });
});
