import { recordEvent } from '../audit/index.js';
import { scopedDb, type Db } from '../db/index.js';
import { newId } from '../kernel/ids.js';
import type { PaymentGateway } from '../payments/index.js';
import { reconcileDisputes } from './reconcile-disputes.js';

export type FindingKind = 'orphan_charge' | 'missed_refund' | 'unknown_at_gateway' | 'amount_mismatch' | 'missed_dispute' | 'dispute_status_behind';

export interface Finding {
  kind: FindingKind;
  charge_id: string;
  /** Fixed automatically (a safe case), or left for a person. */
  fixed: boolean;
  detail: Record<string, unknown>;
}

export interface ReconciliationReport {
  id: string;
  gateway: string;
  since: string;
  until: string;
  summary: { gateway_charges: number; local_payments: number; matched: number; fixed: number; to_review: number };
  findings: Finding[];
}

/**
 * Compare the gateway's charges in a window with our payments and the refunds
 * we asked for. Safe cases are fixed (a refund the gateway made while its
 * webhook was missed: the payment becomes `refunded`); the rest is reported
 * for a person: a captured charge no payment or refund explains (money taken
 * for nothing), a payment the gateway does not know, an amount that differs.
 * Disputes too, where the adapter lists them (reconcile-disputes.ts).
 */
export async function reconcile(deps: { db: Db; gateway: PaymentGateway }, window: { since: Date; until: Date; now: Date }): Promise<ReconciliationReport> {
  if (!deps.gateway.listCharges) throw new Error(`the ${deps.gateway.name} adapter cannot list charges yet`);
  // Matching the gateway's charges against every tenant's payments is cross-tenant by nature: system scope, by name.
  const db = scopedDb(deps.db, { system: 'reconciliation' });
  const charges = await deps.gateway.listCharges({ since: window.since, until: window.until });
  const byId = new Map(charges.map((c) => [c.id, c]));
  const { rows: payments } = await db.query<{ gateway_reference: string; amount: string | number; currency: string; status: string; kind: string }>(
    `SELECT gateway_reference, amount, currency, status, kind FROM payments WHERE gateway = $1 AND created_at >= $2 AND created_at < $3`,
    [deps.gateway.name, window.since, window.until],
  );
  const { rows: refundJobs } = await db.query<{ charge_id: string }>(`SELECT payload->>'charge_id' AS charge_id FROM outbox_jobs WHERE type = 'refund-charge'`);
  const refundAsked = new Set(refundJobs.map((r) => r.charge_id));
  const local = new Map(payments.map((p) => [p.gateway_reference, p]));
  const findings: Finding[] = [];
  let matched = 0;

  for (const c of charges) {
    if (!c.captured || c.status !== 'succeeded') continue; // authorisations and declines move no money
    const p = local.get(c.id);
    if (!p) {
      if (!c.refunded && !refundAsked.has(c.id)) findings.push({ kind: 'orphan_charge', charge_id: c.id, fixed: false, detail: { amount: c.amount, currency: c.currency, created_at: c.createdAt.toISOString() } });
      continue;
    }
    if (Number(p.amount) !== c.amount || p.currency !== c.currency) {
      findings.push({ kind: 'amount_mismatch', charge_id: c.id, fixed: false, detail: { ours: { amount: Number(p.amount), currency: p.currency }, gateway: { amount: c.amount, currency: c.currency } } });
      continue;
    }
    if (c.refunded && p.status === 'succeeded') {
      await db.query(`UPDATE payments SET status = 'refunded' WHERE gateway_reference = $1 AND status = 'succeeded'`, [c.id]);
      findings.push({ kind: 'missed_refund', charge_id: c.id, fixed: true, detail: { amount: c.amount, currency: c.currency } });
      continue;
    }
    matched++;
  }
  for (const p of payments) {
    if (p.kind === 'charge' && p.status !== 'voided' && !byId.has(p.gateway_reference)) {
      findings.push({ kind: 'unknown_at_gateway', charge_id: p.gateway_reference, fixed: false, detail: { amount: Number(p.amount), currency: p.currency } });
    }
  }
  findings.push(...(await reconcileDisputes({ ...deps, db }, window)));

  const report: ReconciliationReport = {
    id: newId('rec', window.now.getTime()),
    gateway: deps.gateway.name,
    since: window.since.toISOString(),
    until: window.until.toISOString(),
    summary: { gateway_charges: charges.length, local_payments: payments.length, matched, fixed: findings.filter((f) => f.fixed).length, to_review: findings.filter((f) => !f.fixed).length },
    findings,
  };
  await db.transaction(async (tx) => {
    await tx.query(`INSERT INTO reconciliation_reports (id, gateway, since, until, summary, findings, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
      report.id, report.gateway, window.since, window.until, JSON.stringify(report.summary), JSON.stringify(findings), window.now,
    ]);
    await recordEvent(tx, { action: 'reconciliation.completed', actor: { type: 'system' }, subject: { type: 'reconciliation', id: report.id }, data: report.summary });
  });
  return report;
}

export async function listReports(db: Db, limit = 20): Promise<ReconciliationReport[]> {
  const { rows } = await db.query<{ id: string; gateway: string; since: Date; until: Date; summary: ReconciliationReport['summary']; findings: Finding[] }>(
    `SELECT id, gateway, since, until, summary, findings FROM reconciliation_reports ORDER BY created_at DESC LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({ ...r, since: new Date(r.since).toISOString(), until: new Date(r.until).toISOString() }));
}
