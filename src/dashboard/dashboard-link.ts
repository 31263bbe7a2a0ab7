import { recordEvent } from '../audit/index.js';
import type { Db, Queryable } from '../db/index.js';
import { hmac, randomToken } from '../kernel/crypto.js';
import { newId } from '../kernel/ids.js';
import { dashboardErrors } from './errors.js';
import { findSessionCustomer, insertLink, insertSession, spendLink } from './repository.js';

export const LINK_TTL_HOURS = 24;
export const SESSION_TTL_DAYS = 14;
export const SESSION_COOKIE = 'enroll_session';

/** Mint a one-time dashboard link token; only its keyed hash is stored. */
export async function issueDashboardLink(db: Queryable, input: { customerId: string; tenantId: string; key: Buffer; now: Date }): Promise<string> {
  const token = randomToken(32);
  await insertLink(db, {
    id: newId('lnk'),
    tokenHash: hmac(input.key, token),
    customerId: input.customerId,
    tenantId: input.tenantId,
    expiresAt: new Date(input.now.getTime() + LINK_TTL_HOURS * 3_600_000),
    now: input.now,
  });
  return token;
}

/** Spend a link and open a session: returns the session token (for a cookie) and the tenant to show. */
export async function redeemDashboardLink(db: Db, input: { token: string; key: Buffer; now: Date; requestId?: string }) {
  return db.transaction(async (tx) => {
    const link = await spendLink(tx, hmac(input.key, input.token), input.now);
    if (!link) throw dashboardErrors.dashboard_link_invalid();
    const sessionToken = randomToken(32);
    const sessionId = newId('ses');
    await insertSession(tx, {
      id: sessionId,
      tokenHash: hmac(input.key, sessionToken),
      customerId: link.customer_id,
      expiresAt: new Date(input.now.getTime() + SESSION_TTL_DAYS * 86_400_000),
      now: input.now,
    });
    await recordEvent(tx, {
      action: 'session.created',
      actor: { type: 'customer', id: link.customer_id },
      requestId: input.requestId,
      subject: { type: 'session', id: sessionId },
      tenantId: link.tenant_id,
      data: { method: 'dashboard_link' },
    });
    return { sessionToken, customerId: link.customer_id, tenantId: link.tenant_id };
  });
}

export async function sessionCustomer(db: Queryable, token: string | undefined, key: Buffer, now: Date): Promise<string | null> {
  if (!token) return null;
  return findSessionCustomer(db, hmac(key, token), now);
}
