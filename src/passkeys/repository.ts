import type { Queryable } from '../db/index.js';

export type ChallengePurpose = 'registration' | 'authentication' | 'step_up';

export async function insertChallenge(
  db: Queryable,
  c: { id: string; purpose: ChallengePurpose; challenge: string; enrollmentId?: string; sessionId?: string; expiresAt: Date; now: Date },
) {
  await db.query(
    `INSERT INTO webauthn_challenges (id, purpose, challenge, enrollment_id, session_id, expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [c.id, c.purpose, c.challenge, c.enrollmentId ?? null, c.sessionId ?? null, c.expiresAt, c.now],
  );
}

/**
 * Spend a challenge: one UPDATE checks purpose, binding, expiry and unused, so
 * two responses to one challenge cannot both pass, and a challenge minted for
 * one enrollment, session or ceremony cannot complete another.
 */
export async function spendChallenge(
  db: Queryable,
  c: { challenge: string; purpose: ChallengePurpose; enrollmentId?: string; sessionId?: string; now: Date },
): Promise<boolean> {
  const { rows } = await db.query(
    `UPDATE webauthn_challenges SET used_at = $5
      WHERE challenge = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $5
        AND enrollment_id IS NOT DISTINCT FROM $3 AND session_id IS NOT DISTINCT FROM $4
      RETURNING id`,
    [c.challenge, c.purpose, c.enrollmentId ?? null, c.sessionId ?? null, c.now],
  );
  return rows.length === 1;
}

export interface CredentialRow {
  id: string;
  credential_id: string;
  public_key: string;
  sign_count: number;
  transports: string[];
  device_type: 'singleDevice' | 'multiDevice';
  backed_up: boolean;
  enrollment_id: string;
  created_at: Date;
}

export async function insertCredential(
  db: Queryable,
  c: Omit<CredentialRow, 'created_at'> & { aaguid: string; user_handle: string; now: Date },
): Promise<boolean> {
  const { rows } = await db.query(
    `INSERT INTO passkey_credentials (id, credential_id, public_key, sign_count, transports, device_type, backed_up, aaguid, user_handle, enrollment_id, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (credential_id) DO NOTHING RETURNING id`,
    [c.id, c.credential_id, c.public_key, c.sign_count, JSON.stringify(c.transports), c.device_type, c.backed_up, c.aaguid, c.user_handle, c.enrollment_id, c.now],
  );
  return rows.length === 1;
}

export async function listCredentialIds(db: Queryable, enrollmentId: string): Promise<{ credential_id: string; transports: string[] }[]> {
  const { rows } = await db.query<{ credential_id: string; transports: string[] }>(
    `SELECT credential_id, transports FROM passkey_credentials WHERE enrollment_id = $1 ORDER BY created_at`,
    [enrollmentId],
  );
  return rows;
}

/** A credential with the customer its enrollment created; null until that enrollment completed. */
export async function findCredentialOwner(db: Queryable, credentialId: string): Promise<(CredentialRow & { customer_id: string }) | null> {
  const { rows } = await db.query<CredentialRow & { customer_id: string }>(
    `SELECT p.id, p.credential_id, p.public_key, p.sign_count, p.transports, p.device_type, p.backed_up, p.enrollment_id, p.created_at,
            c.id AS customer_id
       FROM passkey_credentials p JOIN customers c ON c.enrollment_id = p.enrollment_id
      WHERE p.credential_id = $1`,
    [credentialId],
  );
  return rows[0] ?? null;
}

/**
 * Move the counter forward, atomically: of two assertions racing with the same
 * counter (a cloned key used twice), only one gets through. Authenticators that
 * do not count (always 0) stay at 0.
 */
export async function advanceSignCount(db: Queryable, id: string, newCount: number, now: Date): Promise<boolean> {
  const { rows } = await db.query(
    `UPDATE passkey_credentials SET sign_count = $2, last_used_at = $3
      WHERE id = $1 AND (sign_count < $2 OR (sign_count = 0 AND $2 = 0)) RETURNING id`,
    [id, newCount, now],
  );
  return rows.length === 1;
}
