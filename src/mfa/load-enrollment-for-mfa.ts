import type { Queryable } from '../db/index.js';
import type { Vault } from '../vault/index.js';
import { assertOpenForFactor, loadEnrollment, type Enrollment } from '../enrollment/index.js';

/** The enrollment, if factors may be added or confirmed now: not expired, profile given (its email labels the factor), not completed. */
export async function loadEnrollmentForMfa(db: Queryable, id: string, now: Date, vault: Vault): Promise<Enrollment & { profile: NonNullable<Enrollment['profile']> }> {
  const e = await loadEnrollment(db, id, vault);
  assertOpenForFactor(e, now, 'set up an authenticator');
  return e;
}
