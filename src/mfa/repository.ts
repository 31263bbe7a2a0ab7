import type { Queryable, Tx } from '../db/index.js';
import type { TotpAlgorithm } from './totp.js';

export interface TotpFactor {
  id: string;
  enrollment_id: string;
  status: 'pending' | 'active' | 'superseded';
  secret_sealed: string;
  algorithm: TotpAlgorithm;
  digits: 6 | 8;
  period: number;
  last_step: number;
  attempts: number;
  attempts_window_start: Date | null;
  created_at: Date;
  activated_at: Date | null;
}

export const ATTEMPTS_PER_WINDOW = 5;
export const ATTEMPT_WINDOW_MINUTES = 10;

/** A new pending factor; any older pending one for the enrollment is superseded in the same transaction. */
export async function insertFactor(tx: Tx, f: Pick<TotpFactor, 'id' | 'enrollment_id' | 'secret_sealed' | 'created_at'>): Promise<void> {
  await tx.query(`UPDATE totp_factors SET status = 'superseded' WHERE enrollment_id = $1 AND status = 'pending'`, [f.enrollment_id]);
  await tx.query(
    `INSERT INTO totp_factors (id, enrollment_id, secret_sealed, created_at) VALUES ($1, $2, $3, $4)`,
    [f.id, f.enrollment_id, f.secret_sealed, f.created_at],
  );
}

export async function hasActiveFactor(db: Queryable, enrollmentId: string): Promise<boolean> {
  const { rowCount } = await db.query(`SELECT 1 FROM totp_factors WHERE enrollment_id = $1 AND status = 'active'`, [enrollmentId]);
  return rowCount > 0;
}

/** The factor a confirmation targets: the given one, or the enrollment's newest live one. */
export async function findLiveFactor(db: Queryable, enrollmentId: string, factorId?: string): Promise<TotpFactor | null> {
  const { rows } = await db.query<TotpFactor>(
    `SELECT * FROM totp_factors WHERE enrollment_id = $1 AND status <> 'superseded' AND ($2::text IS NULL OR id = $2)
     ORDER BY created_at DESC, id DESC LIMIT 1`,
    [enrollmentId, factorId ?? null],
  );
  return rows[0] ?? null;
}

/**
 * Count one attempt atomically before the code is compared, so parallel
 * guesses cannot exceed the cap. A window older than 10 minutes restarts at 1.
 * Returns the attempts used in the current window, or null when it is spent.
 */
export async function takeAttempt(db: Queryable, id: string, now: Date): Promise<number | null> {
  const inWindow = `COALESCE(attempts_window_start > $2::timestamptz - interval '${ATTEMPT_WINDOW_MINUTES} minutes', false)`;
  const { rows } = await db.query<{ attempts: number }>(
    `UPDATE totp_factors
        SET attempts = CASE WHEN ${inWindow} THEN attempts + 1 ELSE 1 END,
            attempts_window_start = CASE WHEN ${inWindow} THEN attempts_window_start ELSE $2::timestamptz END
      WHERE id = $1 AND status <> 'superseded' AND NOT (${inWindow} AND attempts >= $3)
      RETURNING attempts`,
    [id, now, ATTEMPTS_PER_WINDOW],
  );
  return rows[0]?.attempts ?? null;
}

/** The factor, locked for the rest of the transaction. */
export async function lockFactor(tx: Tx, id: string): Promise<TotpFactor | null> {
  const { rows } = await tx.query<TotpFactor>('SELECT * FROM totp_factors WHERE id = $1 FOR UPDATE', [id]);
  return rows[0] ?? null;
}

/**
 * Record an accepted step and mark the factor active. The `last_step < $2`
 * guard makes the replay check atomic: of two submissions of one code, only
 * one can move last_step forward. A success also clears the guess counter.
 */
export async function acceptStep(tx: Tx, id: string, step: number, now: Date): Promise<TotpFactor | null> {
  const { rows } = await tx.query<TotpFactor>(
    `UPDATE totp_factors
        SET last_step = $2, status = 'active', activated_at = COALESCE(activated_at, $3), attempts = 0
      WHERE id = $1 AND last_step < $2 AND status <> 'superseded'
      RETURNING *`,
    [id, step, now],
  );
  return rows[0] ?? null;
}

/** Seconds until the factor's current attempt window ends (for Retry-After). */
export async function attemptWindowRemaining(db: Queryable, id: string, now: Date): Promise<number> {
  const { rows } = await db.query<{ s: number | null }>(
    `SELECT ceil(extract(epoch FROM attempts_window_start + interval '${ATTEMPT_WINDOW_MINUTES} minutes' - $2::timestamptz))::int AS s
       FROM totp_factors WHERE id = $1`,
    [id, now],
  );
  return Math.max(1, rows[0]?.s ?? 1);
}

/** The active authenticator of the customer created by an enrollment. */
export async function findCustomerFactor(db: Queryable, customerId: string): Promise<TotpFactor | null> {
  const { rows } = await db.query<TotpFactor>(
    `SELECT f.* FROM totp_factors f JOIN customers c ON c.enrollment_id = f.enrollment_id
      WHERE c.id = $1 AND f.status = 'active' ORDER BY f.activated_at DESC LIMIT 1`,
    [customerId],
  );
  return rows[0] ?? null;
}
