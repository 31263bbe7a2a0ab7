import type { Queryable } from '../db/index.js';
import { safeEqualHex } from '../kernel/crypto.js';
import { identityErrors } from './errors.js';
import { codeHash, type CodeChannel } from './issue-code.js';
import { latestLiveCode, takeAttempt } from './repository.js';

/**
 * Check a submitted code against the live one, whichever channel it went by.
 * `destinationHashes` holds the profile's current destinations per channel.
 * Returns the code's id and channel for the caller to consume in its transaction. The attempt is counted (and committed)
 * before the comparison, so a wrong guess always costs one of the five.
 */
export async function verifyCode(
  db: Queryable,
  input: { enrollmentId: string; code: string; destinationHashes: Partial<Record<CodeChannel, string>>; key: Buffer; now: Date },
): Promise<{ id: string; channel: CodeChannel }> {
  const live = await latestLiveCode(db, input.enrollmentId);
  if (!live) throw identityErrors.identity_code_not_requested();
  if (live.expires_at.getTime() <= input.now.getTime()) throw identityErrors.identity_code_expired();
  const attempts = await takeAttempt(db, live.id);
  if (attempts === null) throw identityErrors.identity_code_attempts_exceeded();
  const matches = safeEqualHex(codeHash(input.key, input.enrollmentId, input.code), live.code_hash);
  // A code sent to an address or number the profile no longer has does not verify the new one.
  if (!matches || live.destination_hash !== input.destinationHashes[live.channel as CodeChannel]) {
    const remaining = live.max_attempts - attempts;
    if (remaining <= 0) throw identityErrors.identity_code_attempts_exceeded();
    throw identityErrors.identity_code_invalid({ extra: { attempts_remaining: remaining }, fields: { code: ['invalid'] } });
  }
  return { id: live.id, channel: live.channel as CodeChannel };
}
