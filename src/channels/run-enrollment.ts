import type { Deps } from '../deps.js';
import {
  attachPaymentMethod,
  attestEmail,
  completeEnrollment,
  loadEnrollment,
  selectPlan,
  submitProfile,
  type CompletionResult,
  type FlowContext,
} from '../enrollment/index.js';
import { channelErrors } from './errors.js';
import type { EnrollmentRequest } from './enrollment-request.js';
import { policyFor } from './policy.js';

/**
 * Drive a whole EnrollmentRequest through the governed flow, resuming from
 * wherever the enrollment stands (a retry after a decline re-attaches a card
 * and completes; nothing done before is redone).
 */
export async function runEnrollment(deps: Deps, enrollmentId: string, req: EnrollmentRequest, ctx: FlowContext): Promise<CompletionResult> {
  const step = async () => loadEnrollment(deps.db, enrollmentId, deps.vault);
  let e = await step();
  if (e.state === 'started') e = await submitProfile(deps, e.id, req.profile, ctx);
  if (e.state === 'profile_completed') {
    if (!(req.emailVerifiedByChannel && policyFor(req.channel).mayAttestEmailVerification)) {
      throw channelErrors.channel_email_verification_required({ extra: { enrollment_id: e.id } });
    }
    e = await attestEmail(deps, e.id, ctx);
  }
  if (e.state === 'verified') e = (await selectPlan(deps, e.id, req.plan, ctx)).enrollment;
  // Also when a card is attached already: a retry after a soft decline may bring another card.
  // The same token again is harmless: the attach key is derived from it, so it yields the same payment method.
  if (e.state === 'plan_selected' || e.state === 'payment_attached') e = (await attachPaymentMethod(deps, e.id, req.paymentToken, ctx)).enrollment;
  return completeEnrollment(deps, e.id, ctx);
}
