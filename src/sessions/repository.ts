import type { Queryable, Tx } from '../db/index.js';

export interface SessionRow {
  id: string;
  customer_id: string;
  method: string;
  stepped_up_at: Date | null;
  expires_at: Date;
  created_at: Date;
}

export async function insertSession(
  tx: Tx,
  s: { id: string; tokenHash: string; customerId: string; method: string; steppedUpAt: Date | null; replaces: string | null; expiresAt: Date; now: Date },
) {
  await tx.query(
    `INSERT INTO sessions (id, token_hash, customer_id, method, stepped_up_at, replaces_session_id, expires_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [s.id, s.tokenHash, s.customerId, s.method, s.steppedUpAt, s.replaces, s.expiresAt, s.now],
  );
}

export async function findLiveSession(db: Queryable, tokenHash: string, now: Date): Promise<SessionRow | null> {
  const { rows } = await db.query<SessionRow>(
    `SELECT id, customer_id, method, stepped_up_at, expires_at, created_at FROM sessions
      WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > $2`,
    [tokenHash, now],
  );
  return rows[0] ?? null;
}

/** Revoke by token hash; returns the session revoked, if it was live. */
export async function revokeByTokenHash(tx: Queryable, tokenHash: string, now: Date): Promise<{ id: string; customer_id: string } | null> {
  const { rows } = await tx.query<{ id: string; customer_id: string }>(
    `UPDATE sessions SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL RETURNING id, customer_id`,
    [tokenHash, now],
  );
  return rows[0] ?? null;
}

export async function revokeAllOf(tx: Queryable, customerId: string, now: Date): Promise<number> {
  const { rows } = await tx.query(`UPDATE sessions SET revoked_at = $2 WHERE customer_id = $1 AND revoked_at IS NULL RETURNING id`, [customerId, now]);
  return rows.length;
}
