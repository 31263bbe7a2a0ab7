import { recordEvents } from '../audit/index.js';
import type { Deps } from '../deps.js';
import { checkResend, issueCode, resendLimitedError } from '../identity/index.js';
import { enqueueJob } from '../jobs/index.js';
import { seal } from '../kernel/crypto.js';
import type { AppError } from '../kernel/errors.js';
import { sessionErrors } from './errors.js';
import type { SessionRow } from './repository.js';
import { customerContact, lockLiveSession } from './repository.js';
import { stepUpCodeSentEvent, stepUpSendRefusedEvent } from './step-up-code-audit.js';
import { stepUpFactorsOf } from './step-up-factors.js';

/**
 * Email a one-time step-up code to the signed-in customer's address, bound to this session. Only for a customer
 * with no stronger factor (see stepUpFactorsOf). The code is issued and limited exactly like the enrollment's
 * email code (same table, same policy); it travels sealed through the outbox. A refused send is audited:
 * the transaction commits the audit row and the refusal is thrown after it.
 */
export async function sendStepUpCode(
  deps: Pick<Deps, 'db' | 'keys' | 'worker'>,
  session: SessionRow,
  input: { now: Date; requestId?: string },
): Promise<{ channel: 'email'; expires_at: string }> {
  const factors = await stepUpFactorsOf(deps.db, session.customer_id);
  if (!factors.includes('email')) throw sessionErrors.session_step_up_factor_unavailable({ extra: { factors } });
  const result = await deps.db.transaction(async (tx): Promise<{ refused: AppError } | { expiresAt: Date }> => {
    const s = await lockLiveSession(tx, session.id, input.now);
    if (!s) throw sessionErrors.session_required();
    const contact = await customerContact(tx, s.customer_id);
    if (!contact) throw sessionErrors.session_required(); // an erased customer's leftover session
    const owner = { sessionId: s.id };
    // The per-destination cap counts every owner's sends to this address: new sessions do not buy new sends.
    const limits = await checkResend(tx, { owner, channel: 'email', destinationHash: contact.email_hash, now: input.now });
    if (limits.refusal) {
      await recordEvents(tx, [stepUpSendRefusedEvent(s, limits.refusal, input.requestId)]);
      return { refused: resendLimitedError(limits.refusal) };
    }
    const issued = await issueCode(tx, { owner, channel: 'email', destinationHash: contact.email_hash, key: deps.keys.codes, now: input.now });
    await enqueueJob(tx, 'send-step-up-email', { session_id: s.id, verification_id: issued.id, sealed_code: seal(deps.keys.sealing, issued.code) });
    await recordEvents(tx, [stepUpCodeSentEvent(s, issued.id, input.requestId)]);
    return { expiresAt: issued.expiresAt };
  });
  if ('refused' in result) throw result.refused;
  deps.worker.nudge();
  return { channel: 'email', expires_at: result.expiresAt.toISOString() };
}
