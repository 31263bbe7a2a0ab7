import type { Queryable } from '../db/index.js';
import type { DisputeDecision, DisputeFacts, EvidencePack } from './dispute-agent.js';

export async function findDispute(db: Queryable, id: string): Promise<(DisputeFacts & { status: string; gateway: string }) | null> {
  const { rows } = await db.query<{ id: string; charge_id: string; amount: string | number; currency: string; reason: string | null; status: string; gateway: string }>(
    `SELECT id, charge_id, amount, currency, reason, status, gateway FROM disputes WHERE id = $1`,
    [id],
  );
  const r = rows[0];
  return r ? { id: r.id, chargeId: r.charge_id, amount: Number(r.amount), currency: r.currency, reason: r.reason, status: r.status, gateway: r.gateway } : null;
}

export async function findResponse(db: Queryable, disputeId: string) {
  const { rows } = await db.query<{ decision: string; reasons: string[]; agent: string; submitted_at: Date | null }>(
    `SELECT decision, reasons, agent, submitted_at FROM dispute_responses WHERE dispute_id = $1`,
    [disputeId],
  );
  return rows[0] ?? null;
}

/** One decision per dispute: false when another run recorded it first. */
export async function insertResponse(
  db: Queryable,
  r: { disputeId: string; decision: DisputeDecision; agent: string; evidence: EvidencePack; submittedAt: Date | null; now: Date },
): Promise<boolean> {
  const { rows } = await db.query(
    `INSERT INTO dispute_responses (dispute_id, decision, reasons, agent, evidence, submitted_at, decided_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (dispute_id) DO NOTHING RETURNING dispute_id`,
    [r.disputeId, r.decision.action, JSON.stringify(r.decision.reasons), r.agent, JSON.stringify(r.evidence), r.submittedAt, r.now],
  );
  return rows.length === 1;
}
