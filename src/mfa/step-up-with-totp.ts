import type { Deps } from '../deps.js';
import { isAppError } from '../kernel/errors.js';
import { openSteppedUpSession, type OpenedSession, type SessionRow, type StepUpInput } from '../sessions/index.js';
import { checkTotpCode, refuseTotp } from './check-totp-code.js';
import { mfaErrors } from './errors.js';
import { acceptStep, findCustomerFactor } from './repository.js';

/**
 * Prove presence again with the authenticator app: same attempt cap and replay
 * rule as confirmation (a code used to sign in or confirm cannot be reused
 * here), then the session is rotated into a stepped-up one.
 */
export async function stepUpWithTotp(
  deps: Pick<Deps, 'db' | 'keys'>,
  session: SessionRow,
  input: StepUpInput,
): Promise<OpenedSession> {
  const factor = await findCustomerFactor(deps.db, session.customer_id);
  if (!factor) throw mfaErrors.mfa_factor_not_found();
  const who = { actor: { type: 'customer' as const, id: session.customer_id }, requestId: input.requestId, subject: { type: 'session', id: session.id } };
  const step = await checkTotpCode(deps, factor, input.code, input.now, who);
  try {
    return await deps.db.transaction(async (tx) => {
      if (!(await acceptStep(tx, factor.id, step, input.now))) throw mfaErrors.mfa_code_replayed();
      return openSteppedUpSession(tx, deps.keys.sessions, session.customer_id, 'totp', input);
    });
  } catch (err) {
    // Audited after the rollback, outside it: a replay is a failed attempt too.
    if (isAppError(err, mfaErrors.mfa_code_replayed)) throw await refuseTotp(deps, factor, who, [['mfa.totp_failed', { reason: 'code_replayed' }]], err);
    throw err;
  }
}
