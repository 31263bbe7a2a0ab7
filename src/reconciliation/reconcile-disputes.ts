import type { Db } from '../db/index.js';
import { enqueueJob } from '../jobs/index.js';
import type { PaymentGateway } from '../payments/index.js';
import { findDisputeState, upsertDispute } from '../webhooks/index.js';
import type { Finding } from './reconcile.js';

/**
 * The gateway's disputes in the window against ours. Both cases are safe to fix,
 * since the gateway is the authority on a dispute: one we never heard of (a missed
 * webhook) is recorded, and sent to the responder while it waits for an answer;
 * one whose status moved on is moved forward (monotonic, as webhooks do).
 */
export async function reconcileDisputes(deps: { db: Db; gateway: PaymentGateway }, window: { since: Date; until: Date; now: Date }): Promise<Finding[]> {
  if (!deps.gateway.listDisputes) return [];
  const findings: Finding[] = [];
  for (const d of await deps.gateway.listDisputes({ since: window.since, until: window.until })) {
    const stored = await findDisputeState(deps.db, d.id);
    if (stored?.status === d.status) continue;
    await deps.db.transaction(async (tx) => {
      const after = await upsertDispute(tx, { id: d.id, gateway: deps.gateway.name, chargeId: d.chargeId, status: d.status, amount: d.amount, currency: d.currency, reason: d.reason, eventAt: window.now, now: window.now });
      if (!stored && (after.status === 'needs_response' || after.status === 'warning_needs_response')) await enqueueJob(tx, 'respond-to-dispute', { dispute_id: d.id });
      findings.push({
        kind: stored ? 'dispute_status_behind' : 'missed_dispute', charge_id: d.chargeId, fixed: after.status === d.status,
        detail: { dispute_id: d.id, ours: stored?.status ?? null, gateway: d.status, amount: d.amount, currency: d.currency },
      });
    });
  }
  return findings;
}
