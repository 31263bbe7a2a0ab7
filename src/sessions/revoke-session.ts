import { recordEvent } from '../audit/index.js';
import type { Db, Tx } from '../db/index.js';
import { hmac } from '../kernel/crypto.js';
import { revokeAllOf, revokeByTokenHash } from './repository.js';

/** Log out: the presented session stops working at once. Unknown or spent tokens are a no-op. */
export async function revokeSession(db: Db, input: { token: string | undefined; key: Buffer; now: Date; requestId?: string }): Promise<void> {
  if (!input.token) return;
  await db.transaction(async (tx) => {
    const s = await revokeByTokenHash(tx, hmac(input.key, input.token!), input.now);
    if (!s) return;
    await recordEvent(tx, {
      action: 'session.revoked', actor: { type: 'customer', id: s.customer_id }, requestId: input.requestId,
      subject: { type: 'session', id: s.id }, data: { reason: 'logout' },
    });
  });
}

/** Every session of a customer, e.g. on erasure or after a credential is lost. */
export async function revokeCustomerSessions(tx: Tx, input: { customerId: string; now: Date; reason: string; requestId?: string }): Promise<number> {
  const n = await revokeAllOf(tx, input.customerId, input.now);
  await recordEvent(tx, {
    action: 'session.revoked', actor: { type: 'system' }, requestId: input.requestId,
    subject: { type: 'customer', id: input.customerId }, data: { reason: input.reason, sessions: n },
  });
  return n;
}
