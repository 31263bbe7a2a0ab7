import type { Db, Queryable } from '../db/index.js';
import { hmac, randomToken } from '../kernel/crypto.js';
import { newId } from '../kernel/ids.js';
import { dashboardErrors } from './errors.js';
import { openSession } from '../sessions/index.js';
import { insertLink, spendLink } from './repository.js';

export const LINK_TTL_HOURS = 24;

/** Mint a one-time dashboard link token; only its keyed hash is stored. It lives `ttlMinutes` (default 24 hours). */
export async function issueDashboardLink(db: Queryable, input: { customerId: string; tenantId: string; key: Buffer; now: Date; ttlMinutes?: number }): Promise<string> {
  const token = randomToken(32);
  await insertLink(db, {
    id: newId('lnk'),
    tokenHash: hmac(input.key, token),
    customerId: input.customerId,
    tenantId: input.tenantId,
    expiresAt: new Date(input.now.getTime() + (input.ttlMinutes ?? LINK_TTL_HOURS * 60) * 60_000),
    now: input.now,
  });
  return token;
}

/**
 * Spend a link and open a session (rotating any session the browser already
 * presented): returns the session token for the cookie and the tenant to show.
 */
export async function redeemDashboardLink(db: Db, input: { token: string; linkKey: Buffer; sessionKey: Buffer; now: Date; presented?: string; requestId?: string }) {
  return db.transaction(async (tx) => {
    const link = await spendLink(tx, hmac(input.linkKey, input.token), input.now);
    if (!link) throw dashboardErrors.dashboard_link_invalid();
    const s = await openSession(tx, {
      customerId: link.customer_id,
      method: 'dashboard_link',
      key: input.sessionKey,
      now: input.now,
      replacing: input.presented,
      requestId: input.requestId,
      tenantId: link.tenant_id,
    });
    return { sessionToken: s.token, customerId: link.customer_id, tenantId: link.tenant_id };
  });
}
