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

/**
 * Which stronger step-up factors a customer holds. Read here by SQL rather than through the passkeys and mfa
 * modules: they build on sessions (their step-ups open sessions), and importing them back would be a cycle.
 */
export async function heldFactors(db: Queryable, customerId: string): Promise<{ passkey: boolean; totp: boolean }> {
  const { rows } = await db.query<{ passkey: boolean; totp: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM passkey_credentials p JOIN customers c ON c.enrollment_id = p.enrollment_id WHERE c.id = $1) AS passkey,
            EXISTS (SELECT 1 FROM totp_factors f JOIN customers c ON c.enrollment_id = f.enrollment_id WHERE c.id = $1 AND f.status = 'active') AS totp`,
    [customerId],
  );
  return rows[0] ?? { passkey: false, totp: false };
}

/** Row lock on a live session: parallel code sends for it queue here, so the resend limit holds on PostgreSQL too. */
export async function lockLiveSession(tx: Tx, id: string, now: Date): Promise<{ id: string; customer_id: string } | null> {
  const { rows } = await tx.query<{ id: string; customer_id: string }>(
    `SELECT id, customer_id FROM sessions WHERE id = $1 AND revoked_at IS NULL AND expires_at > $2 FOR UPDATE`,
    [id, now],
  );
  return rows[0] ?? null;
}

/** The address a customer's codes go to, as its keyed hash, and the language they are written in. */
export async function customerContact(db: Queryable, customerId: string): Promise<{ email_hash: string; locale: string } | null> {
  const { rows } = await db.query<{ email_hash: string; locale: string }>(`SELECT email_hash, locale FROM customers WHERE id = $1`, [customerId]);
  return rows[0] ?? null;
}
