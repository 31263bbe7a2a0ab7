import type { Queryable } from '../db/index.js';
import { safeEqualHex } from '../kernel/crypto.js';
import { identityErrors } from './errors.js';
import { codeHash } from './issue-code.js';
import { latestLiveCode, takeAttempt } from './repository.js';

/**
 * Check a submitted code against the live one. Returns the code's id for the
 * caller to consume in its transaction. The attempt is counted (and committed)
 * before the comparison, so a wrong guess always costs one of the five.
 */
export async function verifyCode(
  db: Queryable,
  input: { enrollmentId: string; code: string; destinationHash: string; key: Buffer; now: Date },
): Promise<string> {
  const live = await latestLiveCode(db, input.enrollmentId);
  if (!live) throw identityErrors.identity_code_not_requested();
  if (live.expires_at.getTime() <= input.now.getTime()) throw identityErrors.identity_code_expired();
  const attempts = await takeAttempt(db, live.id);
  if (attempts === null) throw identityErrors.identity_code_attempts_exceeded();
  const matches = safeEqualHex(codeHash(input.key, input.enrollmentId, input.code), live.code_hash);
  // A code sent to an address the profile no longer has does not verify the new one.
  if (!matches || live.destination_hash !== input.destinationHash) {
    const remaining = live.max_attempts - attempts;
    if (remaining <= 0) throw identityErrors.identity_code_attempts_exceeded();
    throw identityErrors.identity_code_invalid({ extra: { attempts_remaining: remaining }, fields: { code: ['invalid'] } });
  }
  return live.id;
}
