import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/kernel/clock.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { call, enrollUpToPayment } from './helpers/flow.js';
import { passkeyOwner, sessionCookie } from './helpers/passkey-owner.js';
import { createSoftAuthenticator } from './helpers/soft-authenticator.js';

const ORIGIN = 'http://localhost:3000';
const DAY = 86_400_000;

describe('plan changes after enrollment: preview the exact amounts, then apply exactly them', () => {
  let t: TestApp;
  const clock = createManualClock(new Date('2026-11-03T09:00:00.000Z'));
  const authenticator = createSoftAuthenticator({ origin: ORIGIN, rpId: 'localhost' });
  beforeAll(async () => {
    t = await createTestApp({ PUBLIC_URL: ORIGIN }, { clock });
  });
  afterAll(() => t.close());

  let n = 0;
  const cookie = sessionCookie;
  /** An owner of a paid monthly plan (no trial by default), signed in with a passkey. */
  async function owner(plan = 'starter', where: { country?: string; currency?: string } = {}) {
    const o = await passkeyOwner(t.app, t.deps, authenticator, `change-${n++}@example.com`, { plan, ...where });
    return { subscriptionId: o.done.subscription.id as string, credentialId: o.credentialId, session: o.session };
  }
  async function stepUp(o: { credentialId: string; session: Record<string, string> }) {
    const opts = await call(t.app, 'POST', '/v1/sessions/step-up/passkey/options', undefined, o.session);
    return cookie(await call(t.app, 'POST', '/v1/sessions/step-up/passkey', authenticator.get(opts.body, o.credentialId), o.session));
  }
  const preview = (subId: string, s: Record<string, string>, plan_id: string, interval: string) =>
    call(t.app, 'POST', `/v1/subscriptions/${subId}/change-preview`, { plan_id, interval }, s);
  const apply = (subId: string, s: Record<string, string>, change_id: string) => call(t.app, 'POST', `/v1/subscriptions/${subId}/change`, { change_id }, s);
  const sub = async (id: string) => (await t.db.query(`SELECT plan_id, interval, amount, current_period_end, scheduled_change FROM subscriptions WHERE id = $1`, [id])).rows[0];
  const charges = async () => (await t.db.query(`SELECT count(*)::int AS n FROM gateway_charges`)).rows[0].n as number;

  it('an upgrade applies at once, prorated to the second: credit for the unused starter days, charge for pro\'s', async () => {
    const o = await owner();
    clock.advance(10 * DAY);
    const s = await stepUp(o);
    const p = await preview(o.subscriptionId, s, 'pro', 'month');
    expect(p.status).toBe(200);
    const before = await sub(o.subscriptionId);
    const start = new Date(before.current_period_end).getTime() - 30 * DAY; // Nov 3 → Dec 3
    const remaining = new Date(before.current_period_end).getTime() - clock.now().getTime();
    const total = new Date(before.current_period_end).getTime() - start;
    const credit = Math.round((900 * remaining) / total);
    const charge = Math.round((1900 * remaining) / total);
    expect(p.body).toMatchObject({
      direction: 'upgrade', effective: 'immediate', effective_at: clock.now().toISOString(), currency: 'EUR',
      proration: { credit, charge }, amount_due_now: charge - credit, next_period_amount: 1900,
    });
    const shown = await t.db.query(`SELECT data FROM audit_events WHERE action = 'subscription.change_previewed' AND subject_id = $1`, [o.subscriptionId]);
    expect(shown.rows[0].data).toMatchObject({ change_id: p.body.id, quote_id: p.body.quote.id, amount_due: charge - credit });
    const charged = await charges();
    const a = await apply(o.subscriptionId, s, p.body.id);
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ effective: 'immediate', amount_charged: charge - credit });
    expect(await charges()).toBe(charged + 1);
    const after = await sub(o.subscriptionId);
    expect(after).toMatchObject({ plan_id: 'pro', interval: 'month', amount: 1900, scheduled_change: null });
    expect(new Date(after.current_period_end).getTime()).toBe(new Date(before.current_period_end).getTime());
    const inv = await t.db.query(`SELECT total, subtotal, tax_amount, tax, lines FROM invoices WHERE subscription_id = $1 ORDER BY created_at DESC LIMIT 1`, [o.subscriptionId]);
    expect(inv.rows[0].total).toBe(charge - credit);
    // The proration invoice carries the tax breakdown like the first one (German VAT, 19 %, inclusive).
    const vat = Math.round(((charge - credit) * 1900) / 11_900);
    expect(inv.rows[0]).toMatchObject({ subtotal: charge - credit - vat, tax_amount: vat, tax: { rate_bp: 1900, mode: 'inclusive', country: 'DE' } });
    expect(inv.rows[0].lines.map((l: { type: string; amount: number }) => [l.type, l.amount])).toEqual([['proration_credit', -credit], ['proration_charge', charge]]);
    // A retry of the same change charges nothing more and answers the same.
    const again = await apply(o.subscriptionId, s, p.body.id);
    expect(again.body).toEqual(a.body);
    expect(await charges()).toBe(charged + 1);
  });

  it('with a forever coupon, proration credits what was paid and charges the discounted new price', async () => {
    await call(t.app, 'POST', '/v1/admin/coupons', { code: 'HALFOFF', percent_off: 50, duration: 'forever' }, { authorization: 'Bearer admin-test-key' });
    const { id: enr } = await enrollUpToPayment(t.app, t.deps, `change-coupon-${n++}@example.com`);
    expect((await call(t.app, 'PUT', `/v1/enrollments/${enr}/plan`, { plan_id: 'starter', interval: 'month', currency: 'EUR', coupon: 'HALFOFF' })).body.quote.amount).toBe(450);
    // Sign this owner in: register a passkey on the coupon enrollment before completing it.
    const opts = await call(t.app, 'POST', `/v1/enrollments/${enr}/passkeys/options`);
    const cred = authenticator.create(opts.body);
    await call(t.app, 'POST', `/v1/enrollments/${enr}/passkeys`, cred);
    const done = await call(t.app, 'POST', `/v1/enrollments/${enr}/complete`);
    const so = await call(t.app, 'POST', '/v1/sessions/passkey/options');
    const session = cookie(await call(t.app, 'POST', '/v1/sessions/passkey', authenticator.get(so.body, cred.id)));
    clock.advance(10 * DAY);
    const s = await stepUp({ credentialId: cred.id, session });
    const p = await preview(done.body.subscription.id, s, 'pro', 'month');
    const period = (await t.db.query(`SELECT current_period_start AS s, current_period_end AS e FROM subscriptions WHERE id = $1`, [done.body.subscription.id])).rows[0];
    const total = new Date(period.e).getTime() - new Date(period.s).getTime();
    const remaining = new Date(period.e).getTime() - clock.now().getTime();
    const credit = Math.round((450 * remaining) / total);
    const charge = Math.round((950 * remaining) / total);
    expect(p.body).toMatchObject({ proration: { credit, charge }, amount_due_now: charge - credit });
  });

  it('the same preview applied four times at once (a double click): one charge, the same answer, nothing refunded', async () => {
    const o = await owner();
    clock.advance(3 * DAY);
    const s = await stepUp(o);
    const p = await preview(o.subscriptionId, s, 'pro', 'month');
    const charged = await charges();
    const all = await Promise.all(Array.from({ length: 4 }, () => apply(o.subscriptionId, s, p.body.id)));
    expect(all.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(new Set(all.map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect(await charges()).toBe(charged + 1);
    const refunds = await t.db.query(`SELECT count(*)::int AS n FROM outbox_jobs WHERE type = 'refund-charge' AND payload->>'reason' = 'plan_change_stale'`);
    expect(refunds.rows[0].n).toBe(0);
    expect(await sub(o.subscriptionId)).toMatchObject({ plan_id: 'pro', amount: 1900 });
  });

  it('a downgrade and an interval change wait for the period end: nothing due now, the change is scheduled', async () => {
    const o = await owner('starter');
    const s = await stepUp(o);
    const up = await preview(o.subscriptionId, s, 'pro', 'month');
    expect((await apply(o.subscriptionId, s, up.body.id)).status).toBe(200);
    const down = await preview(o.subscriptionId, s, 'starter', 'month');
    expect(down.body).toMatchObject({ direction: 'downgrade', effective: 'period_end', amount_due_now: 0, proration: { credit: 0, charge: 0 }, next_period_amount: 900 });
    expect(down.body.effective_at).toBe(new Date((await sub(o.subscriptionId)).current_period_end).toISOString());
    const charged = await charges();
    expect((await apply(o.subscriptionId, s, down.body.id)).body).toMatchObject({ effective: 'period_end', amount_charged: 0 });
    expect(await charges()).toBe(charged);
    expect(await sub(o.subscriptionId)).toMatchObject({ plan_id: 'pro', scheduled_change: { plan_id: 'starter', interval: 'month', change_id: down.body.id } });
    const yearly = await preview(o.subscriptionId, s, 'pro', 'year');
    expect(yearly.body).toMatchObject({ direction: 'interval_change', effective: 'period_end', amount_due_now: 0, next_period_amount: 19000 });
  });

  it('refuses an unknown or foreign preview, an expired one, and one the subscription has moved on from', async () => {
    const a = await owner();
    const b = await owner();
    const sa = await stepUp(a);
    const sb = await stepUp(b);
    const pb = await preview(b.subscriptionId, sb, 'pro', 'month');
    expect((await apply(a.subscriptionId, sa, pb.body.id)).body.code).toBe('subscription_change_preview_invalid');
    expect((await apply(a.subscriptionId, sa, 'chg_nope')).body.code).toBe('subscription_change_preview_invalid');
    // Two previews from the same state: once one is applied, the other is stale.
    const first = await preview(a.subscriptionId, sa, 'pro', 'month');
    const second = await preview(a.subscriptionId, sa, 'business', 'month');
    expect((await apply(a.subscriptionId, sa, first.body.id)).status).toBe(200);
    const stale = await apply(a.subscriptionId, sa, second.body.id);
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('subscription_change_stale');
    // Altered in the database: the signature no longer matches.
    const third = await preview(a.subscriptionId, sa, 'business', 'month');
    await t.db.query(`UPDATE subscription_changes SET amount_due = 1 WHERE id = $1`, [third.body.id]);
    expect((await apply(a.subscriptionId, sa, third.body.id)).body.code).toBe('subscription_change_preview_invalid');
    const fourth = await preview(a.subscriptionId, sa, 'business', 'month');
    clock.advance(31 * 60_000);
    const late = await apply(a.subscriptionId, await stepUp({ ...a, session: sa }), fourth.body.id);
    expect(late.status).toBe(422);
    expect(late.body.code).toBe('subscription_change_preview_expired');
  });

  it('a trial switches plan at once and free; the trial runs on', async () => {
    const o = await owner('pro');
    const s = await stepUp(o);
    const p = await preview(o.subscriptionId, s, 'business', 'month');
    expect(p.body).toMatchObject({ direction: 'upgrade', effective: 'immediate', amount_due_now: 0 });
    expect((await apply(o.subscriptionId, s, p.body.id)).status).toBe(200);
    expect(await sub(o.subscriptionId)).toMatchObject({ plan_id: 'business', amount: 4900 });
  });

  it('an Indian subscription upgrades at its regional price: dynamic pricing follows the buyer into plan changes', async () => {
    const o = await owner('starter', { country: 'IN', currency: 'INR' });
    expect(await sub(o.subscriptionId)).toMatchObject({ plan_id: 'starter', amount: 47940 }); // 79900 − 40 %
    clock.advance(DAY);
    const s = await stepUp(o);
    const p = await preview(o.subscriptionId, s, 'pro', 'month');
    expect(p.status).toBe(200);
    expect(p.body).toMatchObject({ direction: 'upgrade', currency: 'INR', next_period_amount: 101940 }); // 169900 − 40 %
    expect(p.body.quote.lines.map((l: { type: string; reason?: string; amount: number }) => [l.type, l.reason ?? null, l.amount])).toEqual([
      ['plan', null, 169900],
      ['adjustment', 'ppp_discount', -67960],
    ]);
    expect((await apply(o.subscriptionId, s, p.body.id)).status).toBe(200);
    expect(await sub(o.subscriptionId)).toMatchObject({ plan_id: 'pro', amount: 101940 });
  });
});
