import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/kernel/clock.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { enrollUpToPayment, call } from './helpers/flow.js';

const SECRET = 'whsec_enroll_test_0123456789';

describe('POST /v1/webhooks/stripe: verified, stored once, processed in the outbox, monotonic', () => {
  let t: TestApp;
  const clock = createManualClock(new Date('2026-11-25T12:00:00.000Z'));
  const nowS = () => Math.floor(clock.now().getTime() / 1000);
  beforeAll(async () => {
    t = await createTestApp({ STRIPE_WEBHOOK_SECRET: SECRET }, { clock });
  });
  afterAll(() => t.close());

  let n = 0;
  const event = (type: string, object: Record<string, unknown>, created = nowS()) => ({ id: `evt_${n++}_${Date.now()}`, object: 'event', type, created, data: { object }, livemode: false, api_version: '2026-10-28' });
  async function deliver(e: object, opts: { timestamp?: number; secret?: string; tamper?: boolean } = {}) {
    const payload = JSON.stringify(e);
    const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: opts.secret ?? SECRET, timestamp: opts.timestamp ?? nowS() });
    const res = await t.app.inject({ method: 'POST', url: '/v1/webhooks/stripe', payload: opts.tamper ? payload.replace('"amount":', '"amount": ') : payload, headers: { 'content-type': 'application/json', 'stripe-signature': header } });
    return { status: res.statusCode, body: res.json() };
  }
  const stored = async (id: string) => (await t.db.query(`SELECT processed_at FROM gateway_events WHERE id = $1`, [id])).rows;
  const dispute = (id: string, status: string) => ({ id, object: 'dispute', charge: 'ch_disputed', status, amount: 1900, currency: 'eur', reason: 'fraudulent' });

  it('stores a verified event once, queues it, and processes it; a redelivery changes nothing', async () => {
    const e = event('charge.dispute.created', dispute('dp_once', 'needs_response'));
    expect(await deliver(e)).toEqual({ status: 200, body: { received: true, duplicate: false } });
    expect(await deliver(e)).toEqual({ status: 200, body: { received: true, duplicate: true } });
    const jobs = await t.db.query(`SELECT count(*)::int AS n FROM outbox_jobs WHERE type = 'process-gateway-event' AND payload->>'event_id' = $1`, [e.id]);
    expect(jobs.rows[0].n).toBe(1);
    await t.deps.worker.drain();
    expect((await stored(e.id))[0].processed_at).not.toBeNull();
    const d = await t.db.query(`SELECT status, amount, currency FROM disputes WHERE id = 'dp_once'`);
    expect(d.rows[0]).toEqual({ status: 'needs_response', amount: 1900, currency: 'EUR' });
  });

  it('refuses a bad signature, an altered body, a stale and a future timestamp: nothing stored', async () => {
    const cases: [string, Parameters<typeof deliver>[1]][] = [
      ['wrong secret', { secret: 'whsec_someone_else_000000' }],
      ['altered body', { tamper: true }],
      ['stale (6 minutes)', { timestamp: nowS() - 360 }],
      ['future (2 minutes)', { timestamp: nowS() + 120 }],
    ];
    for (const [label, opts] of cases) {
      const e = event('charge.dispute.created', dispute(`dp_bad_${n}`, 'needs_response'));
      const r = await deliver(e, opts);
      expect(r.status, label).toBe(400);
      expect(r.body.code, label).toBe('webhook_signature_invalid');
      expect(await stored(e.id), label).toEqual([]);
    }
    const unsigned = await t.app.inject({ method: 'POST', url: '/v1/webhooks/stripe', payload: '{}', headers: { 'content-type': 'application/json' } });
    expect(unsigned.json().code).toBe('webhook_signature_invalid');
  });

  it('ends in the same dispute state whatever order the events arrive in, with duplicates', async () => {
    const orders = [[0, 1, 2], [2, 1, 0], [1, 2, 0], [2, 0, 1], [1, 0, 2], [0, 2, 1]];
    for (const [i, order] of orders.entries()) {
      const id = `dp_shuffle_${i}`;
      const base = nowS();
      const events = [
        event('charge.dispute.created', dispute(id, 'needs_response'), base),
        event('charge.dispute.updated', dispute(id, 'under_review'), base + 60),
        event('charge.dispute.closed', dispute(id, 'won'), base + 120),
      ];
      for (const k of order) {
        expect((await deliver(events[k]!)).status).toBe(200);
        await t.deps.worker.drain();
      }
      expect((await deliver(events[order[0]!]!)).body.duplicate).toBe(true);
      await t.deps.worker.drain();
      const d = await t.db.query(`SELECT status FROM disputes WHERE id = $1`, [id]);
      expect(d.rows[0].status, order.join('')).toBe('won');
    }
  });

  it('a full refund reported by the gateway marks the payment refunded, a partial one does not, and never back', async () => {
    const { id } = await enrollUpToPayment(t.app, t.deps, `webhook-refund-${n}@example.com`);
    const done = await call(t.app, 'POST', `/v1/enrollments/${id}/complete`);
    const p = await t.db.query(`SELECT p.gateway_reference FROM payments p JOIN invoices i ON i.id = p.invoice_id WHERE i.subscription_id = $1`, [done.body.subscription.id]);
    const chargeId = p.rows[0].gateway_reference as string;
    const status = async () => (await t.db.query(`SELECT status FROM payments WHERE gateway_reference = $1`, [chargeId])).rows[0].status;
    const partial = event('charge.refunded', { id: chargeId, object: 'charge', refunded: false, amount_refunded: 300 }, nowS() - 60);
    await deliver(partial);
    await t.deps.worker.drain();
    expect(await status()).toBe('succeeded'); // a partial refund is not a refund of the payment
    await deliver(event('charge.refunded', { id: chargeId, object: 'charge', refunded: true, amount_refunded: 900 }));
    await t.deps.worker.drain();
    expect(await status()).toBe('refunded');
    // An older partial event arriving late does not bring it back.
    await deliver(event('charge.refunded', { id: chargeId, object: 'charge', refunded: false, amount_refunded: 300 }, nowS() - 30));
    await t.deps.worker.drain();
    expect(await status()).toBe('refunded');
  });

  it('a processing failure is not swallowed: the job fails and will be retried, the event stays unprocessed', async () => {
    const e = event('charge.dispute.created', { id: 'dp_broken', object: 'dispute', charge: 'ch_x', status: 'needs_response', currency: 'eur' }); // no amount
    expect((await deliver(e)).status).toBe(200);
    await t.deps.worker.drain();
    const job = await t.db.query(`SELECT status, attempts, last_error FROM outbox_jobs WHERE type = 'process-gateway-event' AND payload->>'event_id' = $1`, [e.id]);
    expect(job.rows[0].attempts).toBeGreaterThanOrEqual(1);
    expect(job.rows[0].status).not.toBe('done');
    expect(job.rows[0].last_error).toBeTruthy();
    expect((await stored(e.id))[0].processed_at).toBeNull();
  });
});
