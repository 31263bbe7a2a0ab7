import type { Deps } from '../deps.js';
import { hmac } from '../kernel/crypto.js';
import { consumeCode, identityErrors, verifyCode } from '../identity/index.js';
import { advance, assertCanAdvance } from './advance.js';
import type { FlowContext } from './context.js';
import { loadEnrollment } from './load-enrollment.js';
import type { Enrollment } from './repository.js';

/** Confirm the email code; on success the enrollment is `verified`. */
export async function confirmVerification(deps: Pick<Deps, 'db' | 'keys'>, id: string, code: string, ctx: FlowContext): Promise<Enrollment> {
  const e = await loadEnrollment(deps.db, id);
  assertCanAdvance(e, 'verify_email', ctx.now);
  const destinationHash = hmac(deps.keys.lookup, e.email_normalized!);
  const verificationId = await verifyCode(deps.db, { enrollmentId: e.id, code, destinationHash, key: deps.keys.codes, now: ctx.now });
  return deps.db.transaction(async (tx) => {
    // Single use: of two parallel correct submissions, one consumes, the other is told the code is gone.
    if (!(await consumeCode(tx, verificationId, ctx.now))) throw identityErrors.identity_code_not_requested();
    return advance(tx, e, { event: 'verify_email', audit: { action: 'enrollment.email_verified', data: { verification_id: verificationId } } }, ctx);
  });
}
