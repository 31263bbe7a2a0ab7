import type { Tx } from '../db/index.js';
import { hmac, randomDigits } from '../kernel/crypto.js';
import { newId } from '../kernel/ids.js';
import { CODE_POLICY } from './code-policy.js';
import { ownerColumn, type CodeOwner } from './code-owner.js';
import { insertCode } from './repository.js';

export type CodeChannel = 'email' | 'sms';

export function codeHash(key: Buffer, owner: CodeOwner, code: string): string {
  // Bound to its owner (an enrollment or a session): a code issued for one flow is worthless in another.
  // Owner ids carry their kind's prefix (enr_, ses_), so the two kinds cannot collide either.
  return hmac(key, `${ownerColumn(owner).id}:${code}`);
}

/**
 * Issue a fresh code for an owner's destination. The plaintext code is
 * returned once for sealing into the outbox and is never stored. `deliverable`
 * false still does the same work (for an address we must not reveal as taken)
 * but the code is thrown away, so it can never verify.
 */
export async function issueCode(
  tx: Tx,
  input: { owner: CodeOwner; channel: CodeChannel; destinationHash: string; key: Buffer; now: Date },
): Promise<{ id: string; code: string; expiresAt: Date }> {
  const code = randomDigits(CODE_POLICY.length);
  const id = newId('ver');
  const expiresAt = new Date(input.now.getTime() + CODE_POLICY.ttlMinutes * 60_000);
  await insertCode(tx, input.owner, {
    id,
    channel: input.channel,
    destination_hash: input.destinationHash,
    code_hash: codeHash(input.key, input.owner, code),
    max_attempts: CODE_POLICY.maxAttempts,
    expires_at: expiresAt,
    created_at: input.now,
  });
  return { id, code, expiresAt };
}
