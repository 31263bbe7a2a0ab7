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
    expect(await completionCounts(t.deps.db, id)).toEqual(EXACTLY_ONE);
  });

  it('two enrollments with one address never yield a second customer', async () => {
    const a = await enrollUpToPayment(t.app, t.deps, 'twice@example.com');
    const b = await enrollUpToPayment(t.app, t.deps, 'TWICE@example.com');
    const [ra, rb] = await Promise.all([call(t.app, 'POST', `/v1/enrollments/${a.id}/complete`), call(t.app, 'POST', `/v1/enrollments/${b.id}/complete`)]);
    expect([ra.status, rb.status].sort()).toEqual([200, 409]);
    const loser = ra.status === 409 ? ra : rb;
    expect(loser.body.code).toBe('enrollment_email_unavailable');
    const { rows } = await t.deps.db.query(`SELECT count(*)::int AS n FROM customers WHERE email_normalized = 'twice@example.com'`);
    expect(rows[0].n).toBe(1);
    // The loser's money went back.
    const refunds = await t.deps.db.query('SELECT count(*)::int AS n FROM gateway_refunds');
    expect(refunds.rows[0].n).toBe(1);
  });
});
