import type { Queryable } from '../db/index.js';

export async function upsertPassword(db: Queryable, p: { enrollmentId: string; hash: string; now: Date }) {
  await db.query(
    `INSERT INTO password_credentials (enrollment_id, hash, created_at, updated_at) VALUES ($1, $2, $3, $3)
     ON CONFLICT (enrollment_id) DO UPDATE SET hash = EXCLUDED.hash, updated_at = EXCLUDED.updated_at, failed_attempts = 0, locked_until = NULL`,
    [p.enrollmentId, p.hash, p.now],
  );
}

export interface PasswordAccount {
  enrollment_id: string;
  customer_id: string;
  hash: string;
  failed_attempts: number;
  locked_until: Date | null;
}

/** The password of the customer with this address (by its keyed hash), if they set one. */
export async function findPasswordAccount(db: Queryable, emailHash: string): Promise<PasswordAccount | null> {
  const { rows } = await db.query<PasswordAccount>(
    `SELECT p.enrollment_id, c.id AS customer_id, p.hash, p.failed_attempts, p.locked_until
       FROM customers c JOIN password_credentials p ON p.enrollment_id = c.enrollment_id
      WHERE c.email_hash = $1`,
    [emailHash],
  );
  return rows[0] ?? null;
}

/**
 * Take one attempt, atomically, unless the account is paused: the count goes
 * up and the tenth in a row sets the pause. Returns the attempts in the current
 * run, or null when the account is paused (nothing is compared then). A
 * success resets the run (recordSuccess).
 */
export async function takeAttempt(db: Queryable, enrollmentId: string, p: { maxFailures: number; pauseUntil: Date; now: Date }): Promise<number | null> {
  const { rows } = await db.query<{ failed_attempts: number }>(
    `UPDATE password_credentials
        SET failed_attempts = failed_attempts + 1,
            locked_until = CASE WHEN failed_attempts + 1 >= $2::int THEN $3::timestamptz ELSE NULL END
      WHERE enrollment_id = $1 AND (locked_until IS NULL OR locked_until <= $4::timestamptz)
      RETURNING failed_attempts`,
    [enrollmentId, p.maxFailures, p.pauseUntil, p.now],
  );
  return rows[0]?.failed_attempts ?? null;
}

export async function recordSuccess(db: Queryable, enrollmentId: string, p: { rehash: string | null; now: Date }) {
  await db.query(
    `UPDATE password_credentials SET failed_attempts = 0, locked_until = NULL, hash = COALESCE($2, hash),
            updated_at = CASE WHEN $2::text IS NULL THEN updated_at ELSE $3 END
      WHERE enrollment_id = $1`,
    [enrollmentId, p.rehash, p.now],
  );
}
