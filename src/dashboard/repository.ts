import type { Queryable, Tx } from '../db/index.js';

export async function insertLink(tx: Queryable, l: { id: string; tokenHash: string; customerId: string; tenantId: string; expiresAt: Date; now: Date }) {
  await tx.query(
    `INSERT INTO dashboard_links (id, token_hash, customer_id, tenant_id, expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
    [l.id, l.tokenHash, l.customerId, l.tenantId, l.expiresAt, l.now],
  );
}

/** Single use: the UPDATE both checks and spends the link, so two clicks cannot both sign in. */
export async function spendLink(tx: Tx, tokenHash: string, now: Date) {
  const { rows } = await tx.query<{ customer_id: string; tenant_id: string }>(
    `UPDATE dashboard_links SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING customer_id, tenant_id`,
    [tokenHash, now],
  );
  return rows[0] ?? null;
}
