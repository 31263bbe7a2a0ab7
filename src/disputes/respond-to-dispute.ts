import { recordEvent } from '../audit/index.js';
import type { Deps } from '../deps.js';
import type { JobHandler } from '../jobs/index.js';
import { assembleEvidence, stripeEvidence } from './assemble-evidence.js';
import { findDispute, findResponse, insertResponse } from './repository.js';
import type { EvidencePack } from './dispute-agent.js';

/** Statuses in which the network still waits for the merchant's answer. */
const OPEN = ['needs_response', 'warning_needs_response'];
const AUDIT_ACTION = { submit_evidence: 'dispute.evidence_submitted', accept: 'dispute.accepted', escalate: 'dispute.escalated' } as const;

/**
 * Job `respond-to-dispute`, written when a dispute webhook opens one: assemble
 * the evidence pack, let the agent (rules by default) decide, act through the
 * gateway (submit the evidence, or concede), then record the decision with its
 * reasons and audit it. The gateway call carries a key derived from the
 * dispute id, so a retried job repeats nothing; a decided dispute is left alone.
 */
export function respondToDisputeHandler(deps: Pick<Deps, 'db' | 'keys' | 'gateway' | 'clock' | 'disputeAgent' | 'vault'>): JobHandler {
  return async (job) => {
    const { dispute_id: id } = job.payload as { dispute_id: string };
    const dispute = await findDispute(deps.db, id);
    if (!dispute) throw new Error(`dispute ${id} is not stored`);
    if (!OPEN.includes(dispute.status) || (await findResponse(deps.db, id))) return;
    const evidence = await assembleEvidence(deps, dispute);
    const decision = await deps.disputeAgent.decide({ dispute, evidence });
    let submitted = false;
    if (decision.action === 'submit_evidence' && deps.gateway.submitDisputeEvidence) {
      await deps.gateway.submitDisputeEvidence({ disputeId: id, evidence: stripeEvidence(evidence), idempotencyKey: `${id}:submit-evidence` });
      submitted = true;
    } else if (decision.action === 'accept' && deps.gateway.acceptDispute) {
      await deps.gateway.acceptDispute({ disputeId: id, idempotencyKey: `${id}:accept` });
      submitted = true;
    }
    const now = deps.clock.now();
    await deps.db.transaction(async (tx) => {
      if (!(await insertResponse(tx, { disputeId: id, decision, agent: deps.disputeAgent.name, evidence: withoutPersonalData(evidence), submittedAt: submitted ? now : null, now }))) return;
      await recordEvent(tx, {
        action: AUDIT_ACTION[decision.action], actor: { type: 'system' }, subject: { type: 'dispute', id },
        data: { charge_id: dispute.chargeId, amount: dispute.amount, currency: dispute.currency, reason: dispute.reason, reasons: decision.reasons, agent: deps.disputeAgent.name, sent_to_gateway: submitted },
      });
    });
  };
}

/**
 * The pack as kept in dispute_responses: the customer's name and email are dropped, because a copy
 * outside the PII vault would survive an erasure. The gateway received them already; the rest of the
 * pack is references, times and amounts.
 */
function withoutPersonalData(evidence: EvidencePack): EvidencePack {
  return { ...evidence, customer: null };
}
