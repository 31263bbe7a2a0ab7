import type { Queryable } from '../db/index.js';
import { safeEqualHex } from '../kernel/crypto.js';
import { identityErrors } from './errors.js';
import type { CodeOwner } from './code-owner.js';
import { codeHash, type CodeChannel } from './issue-code.js';
import { takeAttemptOnLiveCode } from './repository.js';
import { checkResend } from './resend-limit.js';

/** A refused code, for the caller's audit trail. Never holds the code or its hash. */
export interface CodeFailure {
  reason: 'no_live_code' | 'code_expired' | 'attempts_exhausted' | 'code_invalid' | 'destination_changed';
  verificationId?: string;
  channel?: CodeChannel;
  attemptsRemaining?: number;
  /** This guess spent the last attempt: the code is now locked. */
  locked: boolean;
}

/**
 * Check a submitted code against the live one, whichever channel it went by.
 * `destinationHashes` holds the profile's current destinations per channel.
 * Returns the code's id and channel for the caller to consume in its transaction. The attempt is counted (and committed)
 * before the comparison, so a wrong guess always costs one of the five. Every refusal is reported to `onFailure`
 * (to be audited) before it is thrown.
 */
export async function verifyCode(
  db: Queryable,
  input: { owner: CodeOwner; code: string; destinationHashes: Partial<Record<CodeChannel, string>>; key: Buffer; now: Date },
  onFailure: (f: CodeFailure) => Promise<void> = async () => {},
): Promise<{ id: string; channel: CodeChannel }> {
  const live = await takeAttemptOnLiveCode(db, input.owner, input.now);
  if (!live) {
    await onFailure({ reason: 'no_live_code', locked: false });
    throw identityErrors.identity_code_not_requested();
  }
  const ref = { verificationId: live.id, channel: live.channel as CodeChannel };
  if (live.expires_at.getTime() <= input.now.getTime()) {
    await onFailure({ ...ref, reason: 'code_expired', locked: false });
    throw identityErrors.identity_code_expired();
  }
  // Locked: the next step is a new code, so Retry-After says when the send limits allow one on this channel.
  const exceeded = async () => {
    const { refusal } = await checkResend(db, { owner: input.owner, channel: ref.channel, destinationHash: live.destination_hash, now: input.now });
    const retryAfter = String(Math.max(1, refusal?.retryAfterSeconds ?? 1));
    return identityErrors.identity_code_attempts_exceeded({ headers: { 'retry-after': retryAfter } });
  };
  const attempts = live.taken;
  if (attempts === null) {
    await onFailure({ ...ref, reason: 'attempts_exhausted', attemptsRemaining: 0, locked: false });
    throw await exceeded();
  }
  const matches = safeEqualHex(codeHash(input.key, input.owner, input.code), live.code_hash);
  // A code sent to an address or number the profile no longer has does not verify the new one.
  const destinationChanged = live.destination_hash !== input.destinationHashes[live.channel as CodeChannel];
  if (!matches || destinationChanged) {
    const remaining = Math.max(0, live.max_attempts - attempts);
    await onFailure({ ...ref, reason: matches ? 'destination_changed' : 'code_invalid', attemptsRemaining: remaining, locked: remaining === 0 });
    if (remaining === 0) throw await exceeded();
    throw identityErrors.identity_code_invalid({ extra: { attempts_remaining: remaining }, fields: { code: ['invalid'] } });
  }
  return { id: live.id, channel: live.channel as CodeChannel };
}
