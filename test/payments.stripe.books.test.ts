import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcile } from '../src/reconciliation/index.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { call } from './helpers/flow.js';
import { paidStripeCharge } from './helpers/stripe-enroll.js';
import { startStripeFake } from './helpers/stripe-fake.js';

const KEY = 'sk_test_enroll_books_0123456789';
const WHSEC = 'whsec_enroll_books_0123456789';
const HOUR = 3_600_000;

/** Issue 5 parts 8/9 on Stripe's wire: webhooks re-fetch the object when in doubt; reconciliation lists charges and disputes. */
describe('Stripe webhooks in doubt, and reconciliation against Stripe', () => {
  let fake: Awaited<ReturnType<typeof startStripeFake>>;
  let t: TestApp;
  let browser: Stripe;
  beforeAll(async () => {
    fake = await startStripeFake({ secretKey: KEY });
    t = await createTestApp({ STRIPE_SECRET_KEY: KEY, STRIPE_API_BASE: `http://127.0.0.1:${fake.port}`, STRIPE_WEBHOOK_SECRET: WHSEC });
    browser = new Stripe(KEY, { host: '127.0.0.1', port: fake.port, protocol: 'http', maxNetworkRetries: 0, telemetry: false });
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  let n = 0;
  const paidCharge = async () => (await paidStripeCharge(t, browser, `books-${n++}@example.com`)).chargeId;
  async function deliver(type: string, object: Record<string, unknown>, createdMs = Date.now()) {
    const payload = JSON.stringify({ id: `evt_books_${n++}`, object: 'event', type, created: Math.floor(createdMs / 1000), data: { object } });
    const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: WHSEC, timestamp: Math.floor(Date.now() / 1000) });
    const res = await t.app.inject({ method: 'POST', url: '/v1/webhooks/stripe', payload, headers: { 'content-type': 'application/json', 'stripe-signature': header } });
    expect(res.statusCode).toBe(200);
    await t.deps.worker.drain();
  }
  const stored = async (id: string) => (await t.db.query(`SELECT status, amount, reason FROM disputes WHERE id = $1`, [id])).rows[0];
  const fetches = (id: string) => fake.requests.filter((r) => r.method === 'GET' && r.path === `/v1/disputes/${id}`).length;

  it('re-fetches a dispute first heard of past its opening, one older than what we hold, and a thin one; trusts a plain one', async () => {
    const charge = await paidCharge();
    const d = fake.openDispute(charge, { reason: 'product_not_received' });
    // The first event we get says "won" (the earlier ones were lost): Stripe says it still needs a response.
    await deliver('charge.dispute.closed', { ...d, status: 'won' });
    expect(fetches(d.id)).toBe(1);
    expect(await stored(d.id)).toEqual({ status: 'needs_response', amount: 900, reason: 'product_not_received' });
    // The responder answered (under review at Stripe); then the network decides, and a late, older event arrives.
    fake.setDisputeStatus(d.id, 'won');
    await deliver('charge.dispute.updated', { ...d, status: 'needs_response' }, Date.now() - HOUR);
    expect(fetches(d.id)).toBe(2);
    expect((await stored(d.id)).status).toBe('won');
    // An event carrying only the id: re-fetched, nothing guessed.
    await deliver('charge.dispute.updated', { id: d.id, object: 'dispute' });
    expect(fetches(d.id)).toBe(3);
    // A dispute Stripe does not know: nothing stored, and said so.
    await deliver('charge.dispute.closed', { id: 'dp_not_at_stripe', object: 'dispute', charge, status: 'lost', amount: 900, currency: 'eur' });
    expect(await stored('dp_not_at_stripe')).toBeUndefined();
    const audit = await t.db.query(`SELECT data FROM audit_events WHERE subject_id = 'dp_not_at_stripe' AND action = 'dispute.unknown_at_gateway'`);
    expect(audit.rows[0].data).toMatchObject({ doubt: 'unknown_object' });
    // A fresh, complete event of a new dispute at its opening: applied as sent, no extra read.
    const e = fake.openDispute(await paidCharge(), { reason: 'fraudulent' });
    await deliver('charge.dispute.created', e);
    expect(fetches(e.id)).toBe(0);
    expect((await stored(e.id)).status).toBe('needs_response');
  });

  it('reconciles against Stripe\'s charges (paged) and disputes: orphan reported, missed dispute recorded and answered', async () => {
    const since = new Date(Date.now() - HOUR);
    await paidCharge();
    await paidCharge();
    // 120 refunded charges nobody here made (refunded: no money kept) make the list span two pages; one orphan keeps money.
    for (let i = 0; i < 120; i++) fake.addCharge({ amount: 500, refunded: true });
    const orphan = fake.addCharge({ amount: 1234 });
    // A dispute whose webhook never came.
    const missed = fake.openDispute(await paidCharge(), { reason: 'fraudulent' });
    const before = fake.requests.length;
    const report = await reconcile(t.deps, { since, until: new Date(Date.now() + HOUR), now: new Date() });
    const listCalls = fake.requests.slice(before).filter((r) => r.method === 'GET' && r.path === '/v1/charges');
    expect(listCalls.length).toBeGreaterThanOrEqual(2);
    expect(listCalls.some((r) => typeof r.params.starting_after === 'string')).toBe(true);
    expect(report.findings.filter((f) => f.kind === 'orphan_charge')).toEqual([{ kind: 'orphan_charge', charge_id: orphan, fixed: false, detail: expect.objectContaining({ amount: 1234 }) }]);
    expect(report.findings.filter((f) => f.kind === 'missed_dispute')).toEqual([expect.objectContaining({ charge_id: missed.charge, fixed: true, detail: expect.objectContaining({ dispute_id: missed.id, ours: null, gateway: 'needs_response' }) })]);
    expect(report.findings.filter((f) => f.kind === 'unknown_at_gateway' || f.kind === 'amount_mismatch')).toEqual([]);
    expect(report.summary.gateway_charges).toBeGreaterThanOrEqual(124);
    await t.deps.worker.drain();
    const answered = await t.db.query(`SELECT decision FROM dispute_responses WHERE dispute_id = $1`, [missed.id]);
    expect(answered.rows).toHaveLength(1);
    const listed = await call(t.app, 'GET', '/v1/reconciliation/reports', undefined, { authorization: 'Bearer admin-test-key' });
    expect(listed.status).toBe(200);
    expect(listed.body.reports[0].findings.map((f: { kind: string }) => f.kind)).toEqual(expect.arrayContaining(['orphan_charge', 'missed_dispute']));
  });

  it('partial refunds: the webhook records the amount (monotonic, never "refunded" for a part); reconciliation records one whose webhook was missed, and reports what cannot be right', async () => {
    const payment = async (charge: string) => {
      const r = (await t.db.query(`SELECT status, amount, amount_refunded FROM payments WHERE gateway_reference = $1`, [charge])).rows[0];
      return { status: r.status as string, amount: Number(r.amount), refunded: Number(r.amount_refunded) };
    };
    const chargeObject = async (charge: string) => (await browser.charges.retrieve(charge)) as unknown as Record<string, unknown>;

    // Reported by webhook, delivered out of order: the larger cumulative amount wins; a part leaves the payment succeeded.
    const hooked = await paidCharge();
    await browser.refunds.create({ charge: hooked, amount: 200 });
    await browser.refunds.create({ charge: hooked, amount: 100 });
    const afterBoth = await chargeObject(hooked);
    expect(afterBoth).toMatchObject({ amount_refunded: 300, refunded: false });
    await deliver('charge.refunded', afterBoth);
    await deliver('charge.refunded', { ...afterBoth, amount_refunded: 200 }, Date.now() - HOUR);
    expect(await payment(hooked)).toEqual({ status: 'succeeded', amount: 900, refunded: 300 });

    // A partial refund made at Stripe whose webhook never came, and one we believe happened that Stripe never made.
    const missed = await paidCharge();
    await browser.refunds.create({ charge: missed, amount: 250 });
    const believed = await paidCharge();
    await t.db.query(`UPDATE payments SET status = 'refunded', amount_refunded = amount WHERE gateway_reference = $1`, [believed]);
    const since = new Date(Date.now() - HOUR);
    const report = await reconcile(t.deps, { since, until: new Date(Date.now() + HOUR), now: new Date() });
    const byCharge = new Map(report.findings.map((f) => [f.charge_id, f]));
    expect(byCharge.has(hooked)).toBe(false);
    expect(byCharge.get(missed)).toEqual({ kind: 'missed_refund', charge_id: missed, fixed: true, detail: { amount: 900, currency: 'EUR', ours: 0, gateway: 250, full: false, status: 'succeeded' } });
    expect(byCharge.get(believed)).toMatchObject({ kind: 'refund_mismatch', fixed: false, detail: { ours: 900, gateway: 0 } });
    expect(await payment(missed)).toEqual({ status: 'succeeded', amount: 900, refunded: 250 });

    // The late webhook of the same refund changes nothing; the rest refunded (webhook this time) makes it refunded.
    await deliver('charge.refunded', await chargeObject(missed));
    expect(await payment(missed)).toEqual({ status: 'succeeded', amount: 900, refunded: 250 });
    await browser.refunds.create({ charge: missed });
    await deliver('charge.refunded', await chargeObject(missed));
    expect(await payment(missed)).toEqual({ status: 'refunded', amount: 900, refunded: 900 });
    const again = await reconcile(t.deps, { since, until: new Date(Date.now() + HOUR), now: new Date() });
    expect(again.findings.filter((f) => [hooked, missed].includes(f.charge_id))).toEqual([]);
  });

  it('finds a refund made in the window on a charge made days before it, through Stripe\'s list of refunds', async () => {
    const old = await paidCharge();
    fake.backdateCharge(old, 3 * 24 * 3600);
    await t.db.query(`UPDATE payments SET created_at = now() - interval '3 days' WHERE gateway_reference = $1`, [old]);
    await browser.refunds.create({ charge: old, amount: 400 }); // from the dashboard, today; the webhook is lost
    const report = await reconcile(t.deps, { since: new Date(Date.now() - HOUR), until: new Date(Date.now() + HOUR), now: new Date() });
    expect(report.findings.find((f) => f.charge_id === old)).toEqual({ kind: 'missed_refund', charge_id: old, fixed: true, detail: { amount: 900, currency: 'EUR', ours: 0, gateway: 400, full: false, status: 'succeeded' } });
    expect(fake.requests.filter((r) => r.method === 'GET' && r.path === `/v1/charges/${old}`)).toHaveLength(1);
  });
});
