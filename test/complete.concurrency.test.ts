import { hmac } from '../src/kernel/crypto.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { completionCounts, EXACTLY_ONE } from './helpers/counts.js';
import { call, enrollUpToPayment } from './helpers/flow.js';

describe('completion under concurrency', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('20 concurrent completions of one enrollment create exactly one of everything and charge once', async () => {
    const { id } = await enrollUpToPayment(t.app, t.deps, 'race@example.com');
    const results = await Promise.all(Array.from({ length: 20 }, () => call(t.app, 'POST', `/v1/enrollments/${id}/complete`)));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    const customers = new Set(results.map((r) => r.body.customer_id));
    const tenants = new Set(results.map((r) => r.body.tenant_id));
    expect(customers.size).toBe(1);
    expect(tenants.size).toBe(1);
    expect(await completionCounts(t.db, id)).toEqual(EXACTLY_ONE);
  });

  it('two enrollments with one address never yield a second customer', async () => {
    const a = await enrollUpToPayment(t.app, t.deps, 'twice@example.com');
    const b = await enrollUpToPayment(t.app, t.deps, 'TWICE@example.com');
    const [ra, rb] = await Promise.all([call(t.app, 'POST', `/v1/enrollments/${a.id}/complete`), call(t.app, 'POST', `/v1/enrollments/${b.id}/complete`)]);
    expect([ra.status, rb.status].sort()).toEqual([200, 409]);
    const loser = ra.status === 409 ? ra : rb;
    expect(loser.body.code).toBe('enrollment_email_unavailable');
    const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM customers WHERE email_hash = $1`, [hmac(t.deps.keys.lookup, 'twice@example.com')]);
    expect(rows[0].n).toBe(1);
    // The loser's money goes back, through the outbox.
    await t.deps.worker.drain();
    const refunds = await t.db.query('SELECT count(*)::int AS n FROM gateway_refunds');
    expect(refunds.rows[0].n).toBe(1);
  });

  it('a plan change racing a completion leaves no charge without an enrollment', async () => {
    const { id } = await enrollUpToPayment(t.app, t.deps, 'switch@example.com');
    const original = t.deps.gateway;
    let changed = false;
    t.deps.gateway = {
      ...original,
      // Completion charges customer-present (chargeOnSession: it may need 3-D Secure).
      async chargeOnSession(input) {
        const result = await original.chargeOnSession(input);
        // While the money is in flight, the customer switches to the annual plan.
        if (!changed) {
          changed = true;
          const res = await call(t.app, 'PUT', `/v1/enrollments/${id}/plan`, { plan_id: 'starter', interval: 'year', currency: 'EUR' });
          expect(res.status).toBe(200);
        }
        return result;
      },
    };
    try {
      const first = await call(t.app, 'POST', `/v1/enrollments/${id}/complete`);
      expect(first.status).toBe(409);
      expect(first.body.code).toBe('enrollment_conflict');
      const second = await call(t.app, 'POST', `/v1/enrollments/${id}/complete`);
      expect(second.status).toBe(200);
    } finally {
      t.deps.gateway = original;
    }
    await t.deps.worker.drain();
    const money = await t.db.query<{ captured: number; refunded: number; kept: number }>(
      `SELECT (SELECT coalesce(sum(amount), 0)::int FROM gateway_charges WHERE idempotency_key LIKE $1 AND status = 'succeeded') AS captured,
              (SELECT coalesce(sum(c.amount), 0)::int FROM gateway_refunds r JOIN gateway_charges c ON c.id = r.charge_id WHERE c.idempotency_key LIKE $1) AS refunded,
              (SELECT coalesce(sum(p.amount), 0)::int FROM payments p JOIN invoices i ON i.id = p.invoice_id JOIN subscriptions s ON s.id = i.subscription_id WHERE s.enrollment_id = $2) AS kept`,
      [`${id}:%`, id],
    );
    const { captured, refunded, kept } = money.rows[0];
    expect(refunded).toBeGreaterThan(0);
    expect(captured - refunded).toBe(kept);
    const sub = await t.db.query('SELECT interval FROM subscriptions WHERE enrollment_id = $1', [id]);
    expect(sub.rows).toEqual([{ interval: 'year' }]);
  });
});
