import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DisputeAgent } from '../src/disputes/index.js';
import { enqueueJob } from '../src/jobs/index.js';
import { createManualClock } from '../src/kernel/clock.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { paidStripeCharge } from './helpers/stripe-enroll.js';
import { startStripeFake } from './helpers/stripe-fake.js';

const KEY = 'sk_test_enroll_disputes_0123456789';
const WHSEC = 'whsec_enroll_disputes_0123456789';

/** Issue 5 part 10: a dispute webhook → the responder job → a decision with reasons → the gateway (a loopback Stripe). */
describe('the dispute responder', () => {
  const clock = createManualClock(new Date('2027-02-01T10:00:00.000Z'));
  let fake: Awaited<ReturnType<typeof startStripeFake>>;
  let t: TestApp;
  let browser: Stripe;
  const decided: string[] = [];
  beforeAll(async () => {
    fake = await startStripeFake({ secretKey: KEY });
    t = await createTestApp({ STRIPE_SECRET_KEY: KEY, STRIPE_API_BASE: `http://127.0.0.1:${fake.port}`, STRIPE_WEBHOOK_SECRET: WHSEC, DISPUTE_ESCALATE_AT: 'EUR:10000', DISPUTE_ACCEPT_BELOW: 'EUR:5000' }, { clock });
    browser = new Stripe(KEY, { host: '127.0.0.1', port: fake.port, protocol: 'http', maxNetworkRetries: 0, telemetry: false });
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  let n = 0;
  /** A paid Starter subscription through Stripe, its welcome email sent (part of the delivery log). */
  async function paidCharge() {
    const paid = await paidStripeCharge(t, browser, `disputed-${n++}@example.com`);
    await t.deps.worker.drain();
    return paid;
  }
  async function dispute(chargeId: string, reason: string, amount?: number) {
    const d = fake.openDispute(chargeId, { reason, amount });
    const payload = JSON.stringify({ id: `evt_${n++}_${Date.now()}`, object: 'event', type: 'charge.dispute.created', created: Math.floor(clock.now().getTime() / 1000), data: { object: d } });
    const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: WHSEC, timestamp: Math.floor(clock.now().getTime() / 1000) });
    const res = await t.app.inject({ method: 'POST', url: '/v1/webhooks/stripe', payload, headers: { 'content-type': 'application/json', 'stripe-signature': header } });
    expect(res.statusCode).toBe(200);
    await t.deps.worker.drain();
    const r = await t.db.query(`SELECT decision, reasons, agent, evidence, submitted_at FROM dispute_responses WHERE dispute_id = $1`, [d.id]);
    const audit = await t.db.query(`SELECT action, data FROM audit_events WHERE subject_id = $1 AND action <> 'dispute.updated'`, [d.id]);
    decided.push(d.id);
    return { id: d.id as string, response: r.rows[0], audit: audit.rows, atStripe: fake.disputes.get(d.id)! };
  }

  it('submits the evidence pack to Stripe when the customer agreed and was there', async () => {
    const { chargeId } = await paidCharge();
    const d = await dispute(chargeId, 'fraudulent');
    expect(d.response).toMatchObject({ decision: 'submit_evidence', agent: 'rules', submitted_at: expect.any(Date) });
    expect(d.response.reasons).toEqual(expect.arrayContaining(['terms_accepted', 'customer_ip_recorded', 'emails_delivered']));
    expect(d.response.evidence).toMatchObject({ charge_id: chargeId, payment: { amount: 900, currency: 'EUR' }, ip: { recorded: true } });
    expect(d.response.evidence.consents.map((c: { purpose: string }) => c.purpose)).toEqual(expect.arrayContaining(['terms', 'privacy']));
    expect(d.response.evidence.emails.map((m: { template: string }) => m.template)).toEqual(expect.arrayContaining(['welcome']));
    expect(d.response.evidence.audit_trail.map((a: { action: string }) => a.action)).toEqual(expect.arrayContaining(['subscription.created']));
    // At Stripe: evidence fields set, submitted, under review; the call was keyed by the dispute.
    expect(d.atStripe).toMatchObject({ status: 'under_review', evidence: { customer_email_address: expect.stringMatching(/^disputed-\d+@example\.com$/), service_date: '2027-02-01' } });
    expect(fake.requests.find((r) => r.path === `/v1/disputes/${d.id}`)?.idempotencyKey).toBe(`${d.id}:submit-evidence`);
    expect(d.audit).toEqual([{ action: 'dispute.evidence_submitted', data: expect.objectContaining({ reasons: d.response.reasons, sent_to_gateway: true }) }]);
  });

  it('accepts a small dispute with weak evidence (closes it at Stripe), and escalates a large one without calling Stripe', async () => {
    const { chargeId, enrollmentId } = await paidCharge();
    // No IP and no sign-in on record: the customer's presence cannot be shown.
    await t.db.query(`DELETE FROM risk_signals WHERE enrollment_id = $1 AND kind = 'ip'`, [enrollmentId]);
    const small = await dispute(chargeId, 'fraudulent', 900);
    expect(small.response).toMatchObject({ decision: 'accept', reasons: ['evidence_weak', 'no_usage_or_ip', 'amount_below_accept_threshold'] });
    expect(small.atStripe.status).toBe('lost');
    expect(small.audit.map((a) => a.action)).toEqual(['dispute.accepted']);

    const large = await paidCharge();
    const before = fake.requests.filter((r) => r.path.startsWith('/v1/disputes/')).length;
    const big = await dispute(large.chargeId, 'fraudulent', 10_000);
    expect(big.response).toMatchObject({ decision: 'escalate', reasons: ['amount_at_or_above_escalation_threshold'], submitted_at: null });
    expect(big.atStripe.status).toBe('needs_response');
    expect(fake.requests.filter((r) => r.path.startsWith('/v1/disputes/')).length).toBe(before);
    expect(big.audit.map((a) => a.action)).toEqual(['dispute.escalated']);
  });

  it('escalates a dispute of a charge that is not ours; a redelivered webhook does not decide twice', async () => {
    const d = await dispute('ch_unknown_to_us', 'general', 900);
    expect(d.response).toMatchObject({ decision: 'escalate', reasons: ['charge_not_matched'] });
    const again = await t.db.query(`SELECT count(*)::int AS n FROM dispute_responses WHERE dispute_id = $1`, [d.id]);
    expect(again.rows[0].n).toBe(1);
  });

  it('a plugged-in agent decides through the same port', async () => {
    const calls: string[] = [];
    const model: DisputeAgent = { name: 'model-stub', decide: async ({ dispute: dp }) => (calls.push(dp.id), { action: 'escalate', reasons: ['model_uncertain'] }) };
    const other = await createTestApp({ STRIPE_SECRET_KEY: KEY, STRIPE_API_BASE: `http://127.0.0.1:${fake.port}` }, { clock, disputeAgent: model });
    try {
      expect(other.deps.disputeAgent.name).toBe('model-stub');
      await other.db.query(`INSERT INTO disputes (id, gateway, charge_id, status, amount, currency, reason, status_event_at) VALUES ('dp_model', 'stripe', 'ch_x', 'needs_response', 500, 'EUR', 'general', now())`);
      await other.db.transaction(async (tx) => {
        await enqueueJob(tx, 'respond-to-dispute', { dispute_id: 'dp_model' });
      });
      await other.deps.worker.drain();
      expect(calls).toEqual(['dp_model']);
      const r = await other.db.query(`SELECT decision, reasons, agent FROM dispute_responses WHERE dispute_id = 'dp_model'`);
      expect(r.rows[0]).toEqual({ decision: 'escalate', reasons: ['model_uncertain'], agent: 'model-stub' });
    } finally {
      await other.close();
    }
  });
});
