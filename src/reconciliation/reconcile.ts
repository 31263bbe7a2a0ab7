import { recordEvent } from '../audit/index.js';
import { scopedDb, type Db } from '../db/index.js';
import { newId } from '../kernel/ids.js';
import { recordGatewayRefund, type GatewayCharge, type PaymentGateway } from '../payments/index.js';
import { reconcileDisputes } from './reconcile-disputes.js';

export type FindingKind = 'orphan_charge' | 'missed_refund' | 'refund_mismatch' | 'unknown_at_gateway' | 'amount_mismatch' | 'missed_dispute' | 'dispute_status_behind';

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
 * we asked for. Safe cases are fixed (a refund the gateway made, in full or in
 * part, while its webhook was missed: its amount is recorded as the webhook
 * would, and only a full one makes the payment `refunded`); the rest is
 * reported for a person: a captured charge no payment or refund explains
 * (money taken for nothing), a payment the gateway does not know, an amount
 * that differs, a refunded amount that cannot be right (see refundFinding).
 * Disputes too, where the adapter lists them (reconcile-disputes.ts).
 */
export async function reconcile(deps: { db: Db; gateway: PaymentGateway }, window: { since: Date; until: Date; now: Date }): Promise<ReconciliationReport> {
  if (!deps.gateway.listCharges) throw new Error(`the ${deps.gateway.name} adapter cannot list charges yet`);
  // Matching the gateway's charges against every tenant's payments is cross-tenant by nature: system scope, by name.
  const db = scopedDb(deps.db, { system: 'reconciliation' });
  const charges = await deps.gateway.listCharges({ since: window.since, until: window.until });
  const byId = new Map(charges.map((c) => [c.id, c]));
  const { rows: payments } = await db.query<{ gateway_reference: string; amount: string | number; amount_refunded: string | number; currency: string; status: string; kind: string }>(
    // Ours from the window, plus those behind any charge the gateway listed (one made earlier, refunded in the window).
    `SELECT gateway_reference, amount, amount_refunded, currency, status, kind FROM payments
      WHERE gateway = $1 AND ((created_at >= $2 AND created_at < $3) OR gateway_reference = ANY($4::text[]))`,
    [deps.gateway.name, window.since, window.until, charges.map((c) => c.id)],
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
      // Part refunded is still money kept for nothing: an orphan, with what was given back.
      if (!c.refunded && !refundAsked.has(c.id)) {
        findings.push({ kind: 'orphan_charge', charge_id: c.id, fixed: false, detail: { amount: c.amount, currency: c.currency, amount_refunded: c.amountRefunded, created_at: c.createdAt.toISOString() } });
      }
      continue;
    }
    if (Number(p.amount) !== c.amount || p.currency !== c.currency) {
      findings.push({ kind: 'amount_mismatch', charge_id: c.id, fixed: false, detail: { ours: { amount: Number(p.amount), currency: p.currency }, gateway: { amount: c.amount, currency: c.currency } } });
      continue;
    }
    const refund = await refundFinding(db, c, Number(p.amount_refunded));
    if (refund) findings.push(refund);
    else matched++;
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

/**
 * Refunded amounts, ours against the gateway's. We never ask for part of a recorded payment back: a partial refund
 * is made by a person at the gateway (its dashboard), which reports it by webhook, and the webhook's amount is
 * applied as is. So more refunded there than here, within the charge, is that same report arriving late: recorded
 * (monotonic, idempotent) and `missed_refund`, fixed. What no missed webhook explains goes to a person as
 * `refund_mismatch`: less refunded there than we recorded (we believe money went back that did not), or more
 * refunded than was charged.
 */
async function refundFinding(db: Db, c: GatewayCharge, ours: number): Promise<Finding | null> {
  const theirs = c.refunded ? Math.max(c.amountRefunded, c.amount) : c.amountRefunded;
  const amounts = { amount: c.amount, currency: c.currency, ours, gateway: theirs };
  if (theirs < ours || theirs > c.amount) return { kind: 'refund_mismatch', charge_id: c.id, fixed: false, detail: amounts };
  if (theirs === ours) return null;
  // Recorded and audited as the webhook would have: the same function, the same (monotonic) rule.
  const r = await db.transaction(async (tx) => {
    const out = await recordGatewayRefund(tx, c.id, theirs);
    await recordEvent(tx, { action: 'payment.refund_reported', actor: { type: 'system' }, subject: { type: 'charge', id: c.id }, data: { source: 'reconciliation', payments_updated: out ? 1 : 0, amount_refunded: theirs, full: theirs === c.amount } });
    return out;
  });
  return { kind: 'missed_refund', charge_id: c.id, fixed: true, detail: { ...amounts, full: theirs === c.amount, status: r?.status ?? null } };
}

export async function listReports(db: Db, limit = 20): Promise<ReconciliationReport[]> {
  const { rows } = await db.query<{ id: string; gateway: string; since: Date; until: Date; summary: ReconciliationReport['summary']; findings: Finding[] }>(
    `SELECT id, gateway, since, until, summary, findings FROM reconciliation_reports ORDER BY created_at DESC LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({ ...r, since: new Date(r.since).toISOString(), until: new Date(r.until).toISOString() }));
}
