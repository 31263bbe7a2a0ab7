import type { Deps } from '../deps.js';
import type { Quote } from '../pricing/index.js';
import { acceptableFactors, assessPayment, hasSecondFactor, riskErrors, sameAssessment } from '../risk/index.js';
import { advance } from './advance.js';
import type { FlowContext } from './context.js';
import { saveRisk, type Enrollment } from './repository.js';
import { riskAssessedEvent } from './risk-events.js';

/** A refusal before completion, for states the risk engine put the enrollment in. */
export function assertNotHeldByRisk(e: Enrollment) {
  if (e.state === 'pending_review') throw riskErrors.risk_review_pending({ extra: { enrollment_id: e.id } });
  if (e.state === 'rejected') throw riskErrors.risk_denied({ extra: { enrollment_id: e.id } });
}

/**
 * The last look before money moves: the payment stage (card velocity, trial
 * abuse for this quote, card country) joins the profile's reasons. `deny`
 * ends the enrollment, `review` holds it in pending_review, `challenge`
 * waits for a second factor; each before any charge. Re-run on every
 * completion attempt, so a plan switched to a trial or a new card is judged
 * on what will actually be charged; written only when the verdict changed.
 */
export async function passRiskGate(deps: Pick<Deps, 'db' | 'keys' | 'risk'>, e: Enrollment, quote: Quote, ctx: FlowContext): Promise<void> {
  const risk = await assessPayment(deps, {
    enrollmentId: e.id,
    card: e.payment_method,
    emailNormalized: e.email_normalized!,
    phone: e.profile?.phone ?? null,
    trial: quote.trialDays > 0,
    prev: e.risk,
    now: ctx.now,
  });
  const assessed = riskAssessedEvent('payment', risk, e.id, ctx);
  if (risk.decision === 'deny') {
    await advance(deps.db, e, { event: 'deny', patch: { risk }, audit: { action: 'enrollment.rejected', data: { stage: 'payment' } }, events: [assessed] }, ctx);
    throw riskErrors.risk_denied({ extra: { enrollment_id: e.id } });
  }
  if (risk.decision === 'review') {
    await advance(deps.db, e, { event: 'hold_for_review', patch: { risk }, audit: { action: 'enrollment.held_for_review' }, events: [assessed] }, ctx);
    throw riskErrors.risk_review_pending({ extra: { enrollment_id: e.id } });
  }
  // No transition, so no version bump: the charge key (bound to the version) stays the same across retries.
  if (!sameAssessment(e.risk, risk)) await saveRisk(deps.db, { id: e.id, version: e.version, risk, audit: assessed });
  if (risk.decision === 'challenge' && !(await secondFactorHeld(deps, e))) {
    throw riskErrors.risk_second_factor_required({ extra: { enrollment_id: e.id, factors: acceptableFactors(e.profile?.phone) } });
  }
}

export function secondFactorHeld(deps: Pick<Deps, 'db' | 'keys'>, e: Enrollment): Promise<boolean> {
  return hasSecondFactor(deps.db, e.id, { e164: e.profile?.phone ?? null, lookupKey: deps.keys.lookup });
}
