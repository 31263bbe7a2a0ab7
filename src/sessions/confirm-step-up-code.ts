import { recordEvents } from '../audit/index.js';
import type { Deps } from '../deps.js';
import { consumeCode, identityErrors, verifyCode } from '../identity/index.js';
import { sessionErrors } from './errors.js';
import { openSteppedUpSession, type OpenedSession, type StepUpInput } from './open-session.js';
import { customerContact, type SessionRow } from './repository.js';
import { stepUpCodeFailureEvents } from './step-up-code-audit.js';
import { stepUpFactorsOf } from './step-up-factors.js';

/**
 * Confirm the emailed step-up code: the same checks as the enrollment's email code (attempt counted before the
 * comparison, the newest code only, expiry, single use, the address it went to is still the customer's), bound to
 * this session; then the session is rotated into a stepped-up one, as the passkey and TOTP step-ups do.
 */
export async function confirmStepUpCode(
  deps: Pick<Deps, 'db' | 'keys'>,
  session: SessionRow,
  input: StepUpInput,
): Promise<OpenedSession> {
  // Re-checked here: a passkey or authenticator added after the code was sent takes email off the table.
  const factors = await stepUpFactorsOf(deps.db, session.customer_id);
  if (!factors.includes('email')) throw sessionErrors.session_step_up_factor_unavailable({ extra: { factors } });
  const contact = await customerContact(deps.db, session.customer_id);
  if (!contact) throw sessionErrors.session_required();
  const verified = await verifyCode(
    deps.db,
    { owner: { sessionId: session.id }, code: input.code, destinationHashes: { email: contact.email_hash }, key: deps.keys.codes, now: input.now },
    (failure) => deps.db.transaction((tx) => recordEvents(tx, stepUpCodeFailureEvents(session, failure, input.requestId))),
  );
  return deps.db.transaction(async (tx) => {
    // Single use: of two parallel correct submissions, one consumes, the other is told the code is gone.
    if (!(await consumeCode(tx, verified.id, input.now))) throw identityErrors.identity_code_not_requested();
    return openSteppedUpSession(tx, deps.keys.sessions, session.customer_id, 'email_code', input);
  });
}
