import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/kernel/clock.js';
import { translate } from '../src/i18n/index.js';
import { changePaymentMethod } from '../src/subscriptions/index.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { call, enrollUpToPayment, tokenize, verifiedEnrollment } from './helpers/flow.js';

const DAY = 86_400_000;

/** Issue 5 part 5: a trial with a card or without one, per plan; the end behaviour when there is no card or a hard decline. */
describe('trials without a card', () => {
  const clock = createManualClock(new Date('2027-02-01T09:00:00.000Z'));
  const apps: Record<string, TestApp> = {};
  beforeAll(async () => {
    for (const b of ['past_due', 'pause', 'cancel']) apps[b] = await createTestApp({ TRIAL_END_BEHAVIOUR: b }, { clock });
  });
  afterAll(async () => {
    for (const a of Object.values(apps)) await a.close();
  });

  let n = 0;
  const state = async (t: TestApp, id: string) => (await call(t.app, 'GET', `/v1/enrollments/${id}`)).body;
  const sub = async (t: TestApp, id: string) => (await t.db.query(`SELECT status, payment_method_id FROM subscriptions WHERE id = $1`, [id])).rows[0];
  const charges = async (t: TestApp) => (await t.db.query(`SELECT count(*)::int AS n FROM gateway_charges`)).rows[0].n as number;
  async function cardless(t: TestApp) {
    const id = await verifiedEnrollment(t.app, t.deps, `cardless-${n++}@example.com`, 'DE');
    const plan = await call(t.app, 'PUT', `/v1/enrollments/${id}/plan`, { plan_id: 'pro', interval: 'month', currency: 'EUR' });
    expect(plan.status).toBe(200);
    return id;
  }
  async function trialWithoutCard(t: TestApp) {
    const id = await cardless(t);
    const done = await call(t.app, 'POST', `/v1/enrollments/${id}/complete`);
    expect(done.status).toBe(200);
    expect(done.body.subscription.status).toBe('trialing');
    return done.body as { subscription: { id: string }; customer_id: string; invoice: { total: number } };
  }

  it('a plan whose trial needs no card skips the payment step; completion charges nothing and saves no card', async () => {
    const t = apps.past_due!;
    const id = await cardless(t);
    const e = await state(t, id);
    expect(e.status).toBe('payment_attached');
    expect(e.payment_method).toBeNull();
    expect(e.steps.payment).toBe('complete');
    const before = await charges(t);
    const done = await call(t.app, 'POST', `/v1/enrollments/${id}/complete`);
    expect(done.status).toBe(200);
    expect(done.body.subscription.status).toBe('trialing');
    expect(done.body.invoice.total).toBe(0);
    expect(await charges(t)).toBe(before);
    expect((await sub(t, done.body.subscription.id)).payment_method_id).toBeNull();
    const audit = await t.db.query(`SELECT action FROM audit_events WHERE subject_id = $1 AND action LIKE 'enrollment.payment_%'`, [id]);
    expect(audit.rows.map((r) => r.action)).toEqual(['enrollment.payment_skipped']);
  });

  it('a plan whose trial needs a card, and a paid plan, keep the payment step; switching to one sends a card-less enrollment back to it', async () => {
    const t = apps.past_due!;
    const id = await cardless(t);
    await call(t.app, 'PUT', `/v1/enrollments/${id}/plan`, { plan_id: 'business', interval: 'month', currency: 'EUR' });
    expect((await state(t, id)).status).toBe('plan_selected');
    const refused = await call(t.app, 'POST', `/v1/enrollments/${id}/complete`);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('enrollment_invalid_transition');
    // Back to the card-less plan: skipped again; a card given anyway is kept when switching plans.
    await call(t.app, 'PUT', `/v1/enrollments/${id}/plan`, { plan_id: 'pro', interval: 'month', currency: 'EUR' });
    expect((await state(t, id)).status).toBe('payment_attached');
    expect((await call(t.app, 'PUT', `/v1/enrollments/${id}/payment-method`, { token: await tokenize(t.app) })).status).toBe(200);
    await call(t.app, 'PUT', `/v1/enrollments/${id}/plan`, { plan_id: 'starter', interval: 'month', currency: 'EUR' });
    const e = await state(t, id);
    expect(e.status).toBe('payment_attached');
    expect(e.payment_method).not.toBeNull();
  });

  it.each([
    ['past_due', 'past_due'],
    ['pause', 'paused'],
    ['cancel', 'canceled'],
  ])('with no card at the trial\'s end, TRIAL_END_BEHAVIOUR=%s makes it %s', async (behaviour, status) => {
    const t = apps[behaviour]!;
    clock.set(new Date('2027-02-01T09:00:00.000Z'));
    const done = await trialWithoutCard(t);
    const before = await charges(t);
    clock.set(new Date('2027-02-15T09:01:00.000Z'));
    await t.deps.worker.drain();
    expect((await sub(t, done.subscription.id)).status).toBe(status);
    expect(await charges(t)).toBe(before);
    const audit = await t.db.query(`SELECT data FROM audit_events WHERE subject_id = $1 AND action = 'subscription.trial_conversion_failed'`, [done.subscription.id]);
    expect(audit.rows[0].data).toMatchObject({ decline_code: 'no_payment_method', soft: false, status });
    const cases = await t.db.query(`SELECT decline_code, soft FROM dunning_cases WHERE subscription_id = $1`, [done.subscription.id]);
    expect(cases.rows).toEqual(status === 'past_due' ? [{ decline_code: 'no_payment_method', soft: false }] : []);
  });

  it('a past_due card-less trial recovers when the customer adds a card: charged at once, active', async () => {
    const t = apps.past_due!;
    clock.set(new Date('2027-02-01T09:00:00.000Z'));
    const done = await trialWithoutCard(t);
    clock.set(new Date('2027-02-15T09:01:00.000Z'));
    await t.deps.worker.drain();
    expect((await sub(t, done.subscription.id)).status).toBe('past_due');
    clock.set(new Date('2027-02-16T10:00:00.000Z'));
    const changed = await changePaymentMethod(t.deps, { subscriptionId: done.subscription.id, customerId: done.customer_id, token: await tokenize(t.app), now: clock.now() });
    await t.deps.worker.drain();
    expect(await sub(t, done.subscription.id)).toEqual({ status: 'active', payment_method_id: changed.payment_method.id });
    const inv = await t.db.query(`SELECT total FROM invoices WHERE subscription_id = $1 ORDER BY created_at, number`, [done.subscription.id]);
    expect(inv.rows.map((r) => Number(r.total))).toEqual([0, 1900]);
  });

  it('at a trial\'s end a hard decline applies the configured behaviour; a soft one goes to dunning (past_due) whatever it is', async () => {
    const t = apps.cancel!;
    clock.set(new Date('2027-02-01T09:00:00.000Z'));
    const hard = (await call(t.app, 'POST', `/v1/enrollments/${(await enrollUpToPayment(t.app, t.deps, `hard-${n++}@example.com`, { plan: 'pro', card: '4000000000000341' })).id}/complete`)).body.subscription.id as string;
    const soft = (await call(t.app, 'POST', `/v1/enrollments/${(await enrollUpToPayment(t.app, t.deps, `soft-${n++}@example.com`, { plan: 'pro' })).id}/complete`)).body.subscription.id as string;
    // The card went bad during the trial: insufficient funds now (soft).
    const bad = await t.deps.gateway.createPaymentMethod({ token: await tokenize(t.app, '4000000000009995'), idempotencyKey: `bad-${soft}` });
    await t.db.query(`UPDATE subscriptions SET payment_method_id = $2 WHERE id = $1`, [soft, bad.id]);
    clock.set(new Date('2027-02-15T09:01:00.000Z'));
    await t.deps.worker.drain();
    expect((await sub(t, hard)).status).toBe('canceled');
    expect((await sub(t, soft)).status).toBe('past_due');
    const cases = await t.db.query(`SELECT subscription_id, soft FROM dunning_cases WHERE subscription_id IN ($1, $2)`, [hard, soft]);
    expect(cases.rows).toEqual([{ subscription_id: soft, soft: true }]);
  });

  it('three days before the end, a card-less trial is asked to add a card (with a working dashboard link and the configured outcome); a trial with a card gets the usual reminder', async () => {
    const t = apps.pause!;
    clock.set(new Date('2027-02-01T09:00:00.000Z'));
    const email = `cardless-${n}@example.com`;
    const none = await trialWithoutCard(t);
    const laterCard = await trialWithoutCard(t);
    const withCard = (await call(t.app, 'POST', `/v1/enrollments/${(await enrollUpToPayment(t.app, t.deps, `card-${n++}@example.com`, { plan: 'pro' })).id}/complete`)).body.subscription.id as string;
    // A card added after the reminder was queued: the job reads the subscription when it runs.
    clock.set(new Date('2027-02-05T10:00:00.000Z'));
    await changePaymentMethod(t.deps, { subscriptionId: laterCard.subscription.id, customerId: laterCard.customer_id, token: await tokenize(t.app), now: clock.now() });
    clock.set(new Date('2027-02-11T09:00:00.000Z'));
    await t.deps.worker.drain();
    const reminders = async () => {
      const r = await t.db.query(`SELECT data->>'subscription_id' AS sub, data->>'template' AS template FROM audit_events WHERE action = 'notification.email_sent' AND data->>'template' LIKE 'trial-ending%'`);
      return Object.fromEntries(r.rows.map((x) => [x.sub, x.template]));
    };
    expect(Object.keys(await reminders()).filter((id) => [none.subscription.id, laterCard.subscription.id, withCard].includes(id))).toEqual([]);
    clock.set(new Date('2027-02-12T09:01:00.000Z'));
    await t.deps.worker.drain();
    expect(await reminders()).toMatchObject({ [none.subscription.id]: 'trial-ending-no-card', [laterCard.subscription.id]: 'trial-ending', [withCard]: 'trial-ending' });
    const mail = (await call(t.app, 'GET', `/dev/mailbox?to=${encodeURIComponent(email)}`)).body.messages.at(-1);
    expect(mail.text).toContain(translate('email.trial_ending_no_card.otherwise_paused', 'en'));
    const link = /\/app\?token=([^\s"]+)/.exec(mail.text);
    expect(link).not.toBeNull();
    const landed = await t.app.inject({ method: 'GET', url: `/app?token=${link![1]}` });
    expect(landed.statusCode).toBe(303);
    expect(landed.headers.location).toBe('/dashboard');
    // A redelivered job (the same job run again, as after a worker crash between sending and marking it done) sends nothing more.
    const again = await t.db.query(
      `UPDATE outbox_jobs SET status = 'pending', run_at = now() - interval '1 second', done_at = NULL, locked_until = NULL
        WHERE type = 'send-trial-reminder' AND payload->>'subscription_id' = $1 AND status = 'done'`,
      [none.subscription.id],
    );
    expect(again.rowCount).toBe(1);
    await t.deps.worker.drain();
    expect((await t.db.query(`SELECT status FROM outbox_jobs WHERE type = 'send-trial-reminder' AND payload->>'subscription_id' = $1`, [none.subscription.id])).rows).toEqual([{ status: 'done' }]);
    expect((await call(t.app, 'GET', `/dev/mailbox?to=${encodeURIComponent(email)}`)).body.messages.filter((m: { subject: string }) => m.subject === mail.subject)).toHaveLength(1);
  });
});
