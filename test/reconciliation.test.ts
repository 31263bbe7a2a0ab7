import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcile } from '../src/reconciliation/index.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { call, enrollUpToPayment, tokenize } from './helpers/flow.js';

const HOUR = 3_600_000;

describe('reconciliation: the gateway\'s books against ours', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  let n = 0;
  const window = () => ({ since: new Date(Date.now() - HOUR), until: new Date(Date.now() + HOUR), now: new Date() });
  async function completed() {
    const { id } = await enrollUpToPayment(t.app, t.deps, `recon-${n++}@example.com`);
    const done = await call(t.app, 'POST', `/v1/enrollments/${id}/complete`);
    const { rows } = await t.db.query(`SELECT p.gateway_reference FROM payments p JOIN invoices i ON i.id = p.invoice_id WHERE i.subscription_id = $1`, [done.body.subscription.id]);
    return rows[0].gateway_reference as string;
  }

  it('matches what agrees, fixes a refund whose webhook was missed, and reports money taken for nothing', async () => {
    const ok = await completed();
    const refunded = await completed();
    await t.deps.gateway.refund({ chargeId: refunded, idempotencyKey: `recon-refund-${refunded}` }); // refunded at the gateway, no webhook
    const pm = await t.deps.gateway.createPaymentMethod({ token: await tokenize(t.app), idempotencyKey: `recon-pm-${n}` });
    const orphan = await t.deps.gateway.charge({ paymentMethodId: pm.id, amount: 700, currency: 'EUR', capture: true, idempotencyKey: `recon-orphan-${n}` });
    const report = await reconcile(t.deps, window());
    const byCharge = new Map(report.findings.map((f) => [f.charge_id, f]));
    expect(byCharge.has(ok)).toBe(false);
    expect(byCharge.get(refunded)).toMatchObject({ kind: 'missed_refund', fixed: true });
    expect(byCharge.get(orphan.id)).toMatchObject({ kind: 'orphan_charge', fixed: false, detail: { amount: 700, currency: 'EUR' } });
    const { rows } = await t.db.query(`SELECT status FROM payments WHERE gateway_reference = $1`, [refunded]);
    expect(rows[0].status).toBe('refunded');
    // Run again: the fixed case is now simply matched, the orphan is still reported.
    const again = await reconcile(t.deps, window());
    expect(again.findings.map((f) => [f.kind, f.charge_id])).toEqual([['orphan_charge', orphan.id]]);
  });

  it('reports an amount that differs and a payment the gateway does not know', async () => {
    const charge = await completed();
    await t.db.query(`UPDATE payments SET amount = amount + 1 WHERE gateway_reference = $1`, [charge]);
    const ghost = await completed();
    await t.db.query(`UPDATE payments SET gateway_reference = 'ch_ghost_${n}' WHERE gateway_reference = $1`, [ghost]);
    const report = await reconcile(t.deps, window());
    const kinds = report.findings.map((f) => [f.kind, f.charge_id]);
    expect(kinds).toContainEqual(['amount_mismatch', charge]);
    expect(kinds).toContainEqual(['unknown_at_gateway', `ch_ghost_${n}`]);
    expect(kinds).toContainEqual(['orphan_charge', ghost]); // the gateway's side of the same disagreement
  });

  it('records a partial refund whose webhook was missed without marking the payment refunded, and reports refunded amounts no missed webhook explains', async () => {
    const payment = async (charge: string) => (await t.db.query(`SELECT status, amount, amount_refunded FROM payments WHERE gateway_reference = $1`, [charge])).rows[0];
    const refundAtGateway = async (charge: string, amount: number) =>
      // What a person's refund in the gateway's dashboard leaves in its books (the sandbox's own API refunds whole charges).
      t.db.query(`INSERT INTO gateway_refunds (id, idempotency_key, charge_id, amount, currency, status) VALUES ($1, $2, $3, $4, 'EUR', 'succeeded')
                  ON CONFLICT (charge_id) DO UPDATE SET amount = EXCLUDED.amount`, [`re_dash_${charge}`, `dash-${charge}`, charge, amount]);
    const partial = await completed();
    const amount = Number((await payment(partial)).amount);
    await refundAtGateway(partial, 300);
    // We believe this one was refunded; the gateway gave nothing back.
    const believed = await completed();
    await t.db.query(`UPDATE payments SET status = 'refunded', amount_refunded = amount WHERE gateway_reference = $1`, [believed]);
    // More back than was ever charged.
    const over = await completed();
    await refundAtGateway(over, amount + 100);

    const report = await reconcile(t.deps, window());
    const byCharge = new Map(report.findings.map((f) => [f.charge_id, f]));
    expect(byCharge.get(partial)).toEqual({ kind: 'missed_refund', charge_id: partial, fixed: true, detail: { amount, currency: 'EUR', ours: 0, gateway: 300, full: false, status: 'succeeded' } });
    expect((await payment(partial)).status).toBe('succeeded');
    expect(Number((await payment(partial)).amount_refunded)).toBe(300);
    expect(byCharge.get(believed)).toMatchObject({ kind: 'refund_mismatch', fixed: false, detail: { ours: amount, gateway: 0 } });
    expect(byCharge.get(over)).toMatchObject({ kind: 'refund_mismatch', fixed: false, detail: { amount, ours: 0, gateway: amount + 100 } });
    expect((await payment(over)).status).toBe('succeeded');
    expect(Number((await payment(over)).amount_refunded)).toBe(0);
    const audit = await t.db.query(`SELECT data FROM audit_events WHERE subject_id = $1 AND action = 'payment.refund_reported'`, [partial]);
    expect(audit.rows.map((r) => r.data)).toEqual([expect.objectContaining({ source: 'reconciliation', amount_refunded: 300, full: false })]);

    // Again: the recorded partial refund now matches; the two a person must look at are still reported.
    const again = await reconcile(t.deps, window());
    const kinds = new Map(again.findings.map((f) => [f.charge_id, f.kind]));
    expect(kinds.has(partial)).toBe(false);
    expect([kinds.get(believed), kinds.get(over)]).toEqual(['refund_mismatch', 'refund_mismatch']);

    // The rest is refunded at the gateway later, its webhook missed too: now the payment is refunded.
    await refundAtGateway(partial, amount);
    const full = await reconcile(t.deps, window());
    expect(full.findings.find((f) => f.charge_id === partial)).toMatchObject({ kind: 'missed_refund', fixed: true, detail: { ours: 300, gateway: amount, full: true, status: 'refunded' } });
    expect(await payment(partial)).toMatchObject({ status: 'refunded' });
  });

  it('compares a refund made in the window on a charge made before it (days later, its webhook missed)', async () => {
    const old = await completed();
    // Charged three days ago, on both sides: outside today's window by its own date.
    await t.db.query(`UPDATE gateway_charges SET created_at = now() - interval '3 days' WHERE id = $1`, [old]);
    await t.db.query(`UPDATE payments SET created_at = now() - interval '3 days' WHERE gateway_reference = $1`, [old]);
    const before = await reconcile(t.deps, window());
    expect(before.findings.find((f) => f.charge_id === old)).toBeUndefined();
    await t.deps.gateway.refund({ chargeId: old, idempotencyKey: `recon-late-refund-${old}` }); // today, no webhook
    const report = await reconcile(t.deps, window());
    expect(report.findings.find((f) => f.charge_id === old)).toMatchObject({ kind: 'missed_refund', fixed: true, detail: { full: true, status: 'refunded' } });
    const { rows } = await t.db.query(`SELECT status FROM payments WHERE gateway_reference = $1`, [old]);
    expect(rows[0].status).toBe('refunded');
  });

  it('serves the reports to an admin only', async () => {
    expect((await call(t.app, 'GET', '/v1/reconciliation/reports')).status).toBe(401);
    const res = await call(t.app, 'GET', '/v1/reconciliation/reports', undefined, { authorization: 'Bearer admin-test-key' });
    expect(res.status).toBe(200);
    expect(res.body.reports.length).toBeGreaterThanOrEqual(3);
    expect(res.body.reports[0]).toMatchObject({ gateway: 'sandbox', summary: { to_review: expect.any(Number) } });
  });
});
