import { assertNotExpired } from './advance.js';
import { enrollmentErrors } from './errors.js';
import { nextSteps, OPEN_WITH_PROFILE } from './machine.js';
import type { Enrollment } from './repository.js';

/** A second factor (authenticator app, SMS code) may be added or proven now: not expired, profile given, flow open. */
export function assertOpenForFactor(e: Enrollment, now: Date, what: string): asserts e is Enrollment & { profile: NonNullable<Enrollment['profile']> } {
  assertNotExpired(e, now);
  if (!OPEN_WITH_PROFILE.includes(e.state) || !e.profile) {
    throw enrollmentErrors.enrollment_invalid_transition({
      detail: `Cannot ${what} while the enrollment is ${e.state}`,
      extra: { enrollment_id: e.id, state: e.state, allowed: nextSteps(e.state) },
    });
  }
}
