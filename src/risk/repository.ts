import { deferWrite, type Queryable } from '../db/index.js';
import type { VelocityKind } from './rules.js';

/** One observation: this enrollment used this (keyed-hashed) IP, email, device or card at this time. */
export interface Signal {
  enrollmentId: string;
  kind: VelocityKind;
  valueHash: string;
  at: Date;
}

/** Recorded for every assessment, denied ones included: a refused fraudster's retries still count. */
export async function insertSignals(db: Queryable, signals: Signal[]): Promise<void> {
  if (signals.length === 0) return;
  const values = signals.map((_, i) => `($${i * 4 + 1}, $${i * 4 + 2}, $${i * 4 + 3}, $${i * 4 + 4})`).join(', ');
  await deferWrite(
    db,
    `INSERT INTO risk_signals (enrollment_id, kind, value_hash, occurred_at) VALUES ${values}
     ON CONFLICT (enrollment_id, kind, value_hash) DO UPDATE SET occurred_at = EXCLUDED.occurred_at`,
    signals.flatMap((s) => [s.enrollmentId, s.kind, s.valueHash, s.at]),
  );
}

/** OTHER enrollments that used the value within the sliding window ending now. */
export async function countRecent(db: Queryable, q: { kind: VelocityKind; valueHash: string; enrollmentId: string; now: Date; windowSeconds: number }): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(DISTINCT enrollment_id)::int AS n FROM risk_signals
      WHERE kind = $1 AND value_hash = $2 AND enrollment_id <> $3
        AND occurred_at > $4::timestamptz - make_interval(secs => $5) AND occurred_at <= $4::timestamptz`,
    [q.kind, q.valueHash, q.enrollmentId, q.now, q.windowSeconds],
  );
  return rows[0].n;
}

/** Whether another enrollment with this email key or card became a trial subscription (subscriptions.trial_end set). */
export async function trialTakenWith(db: Queryable, q: { kind: 'email' | 'card'; valueHash: string; enrollmentId: string }): Promise<boolean> {
  const { rowCount } = await db.query(
    `SELECT 1 FROM risk_signals s JOIN subscriptions sub ON sub.enrollment_id = s.enrollment_id
      WHERE s.kind = $1 AND s.value_hash = $2 AND s.enrollment_id <> $3 AND sub.trial_end IS NOT NULL LIMIT 1`,
    [q.kind, q.valueHash, q.enrollmentId],
  );
  return rowCount > 0;
}

/**
 * Read here rather than through the mfa and identity modules: they depend on
 * enrollment, which depends on risk, and this one question is all risk asks.
 */
export async function secondFactorProofs(db: Queryable, enrollmentId: string, phoneHash: string | null): Promise<{ totp: boolean; sms: boolean; passkey: boolean }> {
  const { rows } = await db.query<{ totp: boolean; sms: boolean; passkey: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM totp_factors WHERE enrollment_id = $1 AND status = 'active') AS totp,
            EXISTS (SELECT 1 FROM passkey_credentials WHERE enrollment_id = $1) AS passkey,
            EXISTS (SELECT 1 FROM verification_codes WHERE enrollment_id = $1 AND channel = 'sms'
                      AND consumed_at IS NOT NULL AND destination_hash = $2) AS sms`,
    [enrollmentId, phoneHash],
  );
  return rows[0];
}
