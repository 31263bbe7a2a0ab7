import { recordEvent } from '../audit/index.js';
import { normalizeEmail } from '../customers/index.js';
import { hmac } from '../kernel/crypto.js';
import type { Deps } from '../deps.js';
import { openSession, type OpenedSession } from '../sessions/index.js';
import { passwordErrors } from './errors.js';
import { decoyHash, hashPassword, needsRehash, verifyPassword } from './password-hash.js';
import { normalizePassword } from './password-policy.js';
import { findPasswordAccount, recordSuccess, takeAttempt } from './repository.js';

/** Ten wrong passwords in a row pause the account's password sign-in for fifteen minutes. */
export const MAX_FAILURES = 10;
export const PAUSE_MS = 15 * 60_000;

/**
 * Email + password → a session. Unknown address, no password set, wrong
 * password and a paused account all answer the same 401 after the same Argon2
 * work, so the endpoint tells nobody which addresses have accounts. A hash made
 * with older parameters is replaced after a successful check.
 */
export async function signInWithPassword(
  deps: Pick<Deps, 'db' | 'keys'>,
  input: { email: string; password: string; now: Date; presented?: string; requestId?: string },
): Promise<OpenedSession> {
  const email = normalizeEmail(input.email);
  const account = email.ok ? await findPasswordAccount(deps.db, hmac(deps.keys.lookup, email.normalized)) : null;
  const normalized = normalizePassword(input.password);
  // The attempt is taken (counted, and the pause set on the tenth) BEFORE the hash is compared, in one UPDATE:
  // a burst of parallel guesses cannot all be judged against the state from before the burst.
  const taken = account ? await takeAttempt(deps.db, account.enrollment_id, { maxFailures: MAX_FAILURES, pauseUntil: new Date(input.now.getTime() + PAUSE_MS), now: input.now }) : null;
  const paused = account !== null && taken === null;
  const ok = await verifyPassword(account && !paused ? account.hash : await decoyHash(), normalized);
  const audit = (action: string, data: Record<string, unknown>) =>
    deps.db.transaction((tx) =>
      recordEvent(tx, { action, actor: { type: 'anonymous' }, requestId: input.requestId, subject: { type: 'customer', id: account!.customer_id }, data }),
    );
  if (!account) throw passwordErrors.password_sign_in_failed();
  if (paused) {
    await audit('password.sign_in_failed', { reason: 'paused' });
    throw passwordErrors.password_sign_in_failed();
  }
  if (!ok) {
    const failures = taken!;
    await audit(failures >= MAX_FAILURES ? 'password.locked' : 'password.sign_in_failed', { reason: 'wrong_password', consecutive_failures: failures });
    throw passwordErrors.password_sign_in_failed();
  }
  const rehash = needsRehash(account.hash) ? await hashPassword(normalized) : null;
  return deps.db.transaction(async (tx) => {
    await recordSuccess(tx, account.enrollment_id, { rehash, now: input.now });
    if (rehash) await recordEvent(tx, { action: 'password.rehashed', actor: { type: 'system' }, requestId: input.requestId, subject: { type: 'customer', id: account.customer_id } });
    return openSession(tx, { customerId: account.customer_id, method: 'password', key: deps.keys.sessions, now: input.now, replacing: input.presented, requestId: input.requestId });
  });
}
