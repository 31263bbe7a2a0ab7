import type { Queryable, Tx } from '../db/index.js';
import { ownerColumn, type CodeOwner } from './code-owner.js';

export interface VerificationCode {
  id: string;
  enrollment_id: string | null;
  session_id: string | null;
  channel: string;
  destination_hash: string;
  code_hash: string;
  attempts: number;
  max_attempts: number;
  expires_at: Date;
  consumed_at: Date | null;
  superseded_at: Date | null;
  created_at: Date;
}

/** Sends in the last hour: of this owner on this channel (each channel has its own budget), and to this destination from any owner. */
export async function sendStats(db: Queryable, owner: CodeOwner, channel: string, destinationHash: string, now: Date) {
  const { column, id } = ownerColumn(owner);
  const { rows } = await db.query<{ last: Date | null; in_hour: number; to_destination: number }>(
    `SELECT max(created_at) FILTER (WHERE ${column} = $1 AND channel = $4) AS last,
            count(*) FILTER (WHERE ${column} = $1 AND channel = $4 AND created_at > $2::timestamptz - interval '1 hour')::int AS in_hour,
            count(*) FILTER (WHERE destination_hash = $3 AND created_at > $2::timestamptz - interval '1 hour')::int AS to_destination
     FROM verification_codes WHERE ${column} = $1 OR destination_hash = $3`,
    [id, now, destinationHash, channel],
  );
  return rows[0];
}

export async function insertCode(tx: Tx, owner: CodeOwner, c: Omit<VerificationCode, 'enrollment_id' | 'session_id' | 'attempts' | 'consumed_at' | 'superseded_at'>) {
  const { column, id } = ownerColumn(owner);
  // Only the newest code is live: an old email lying around cannot be used.
  tx.defer(
    `UPDATE verification_codes SET superseded_at = $2 WHERE ${column} = $1 AND consumed_at IS NULL AND superseded_at IS NULL`,
    [id, c.created_at],
  );
  tx.defer(
    `INSERT INTO verification_codes (id, ${column}, channel, destination_hash, code_hash, max_attempts, expires_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [c.id, id, c.channel, c.destination_hash, c.code_hash, c.max_attempts, c.expires_at, c.created_at],
  );
}

export async function latestLiveCode(db: Queryable, owner: CodeOwner): Promise<VerificationCode | null> {
  const { column, id } = ownerColumn(owner);
  const { rows } = await db.query<VerificationCode>(
    `SELECT * FROM verification_codes WHERE ${column} = $1 AND superseded_at IS NULL AND consumed_at IS NULL
     ORDER BY created_at DESC LIMIT 1`,
    [id],
  );
  return rows[0] ?? null;
}

/**
 * The live code, with an attempt taken on it by the same statement unless it has expired: `taken` is its count
 * of attempts after this one, or null when none could be taken (expired, or no attempt left). The attempt is
 * counted atomically before the caller compares: parallel guesses cannot exceed the cap. One round trip where
 * reading the code and then counting the attempt took two.
 */
export async function takeAttemptOnLiveCode(db: Queryable, owner: CodeOwner, now: Date): Promise<(VerificationCode & { taken: number | null }) | null> {
  const { column, id } = ownerColumn(owner);
  const { rows } = await db.query<VerificationCode & { taken: number | null }>(
    `WITH live AS (SELECT * FROM verification_codes WHERE ${column} = $1 AND superseded_at IS NULL AND consumed_at IS NULL
                    ORDER BY created_at DESC LIMIT 1),
          t AS (UPDATE verification_codes v SET attempts = v.attempts + 1 FROM live
                 WHERE v.id = live.id AND live.expires_at > $2 AND v.attempts < v.max_attempts AND v.consumed_at IS NULL AND v.superseded_at IS NULL
                 RETURNING v.attempts)
     SELECT live.*, t.attempts AS taken FROM live LEFT JOIN t ON true`,
    [id, now],
  );
  return rows[0] ?? null;
}

/** Single use: only one caller can flip consumed_at. */
export async function consumeCode(tx: Tx, id: string, now: Date): Promise<boolean> {
  const { rowCount } = await tx.query(
    `UPDATE verification_codes SET consumed_at = $2 WHERE id = $1 AND consumed_at IS NULL AND superseded_at IS NULL AND expires_at > $2`,
    [id, now],
  );
  return rowCount === 1;
}
