import type { Queryable } from '../db/index.js';
import { assertNotExpired, enrollmentErrors, loadEnrollment, nextSteps, type Enrollment, type State } from '../enrollment/index.js';

// A factor needs a profile (its label is the customer's email) and a flow still open.
const OPEN_WITH_PROFILE: readonly State[] = ['profile_completed', 'verified', 'plan_selected', 'payment_attached'];

/** The enrollment, if factors may be added or confirmed now: not expired, profile given, not completed. */
export async function loadEnrollmentForMfa(db: Queryable, id: string, now: Date): Promise<Enrollment & { profile: NonNullable<Enrollment['profile']> }> {
  const e = await loadEnrollment(db, id);
  assertNotExpired(e, now);
  if (!OPEN_WITH_PROFILE.includes(e.state) || !e.profile) {
    throw enrollmentErrors.enrollment_invalid_transition({
      detail: `Cannot set up an authenticator while the enrollment is ${e.state}`,
      extra: { enrollment_id: e.id, state: e.state, allowed: nextSteps(e.state) },
    });
  }
  return e as Enrollment & { profile: NonNullable<Enrollment['profile']> };
}
