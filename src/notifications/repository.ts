import type { Queryable } from '../db/index.js';
import { hmac } from '../kernel/crypto.js';
import { newId } from '../kernel/ids.js';

/**
 * Record that a job's email left the system. ON CONFLICT makes it safe under
 * at-least-once delivery; returns false when the job had already recorded one.
 * The body (which may hold a one-time code) is never stored, nor the address:
 * only its hash, enough to answer "did we send X to this address?".
 */
export async function recordNotificationSent(
  db: Queryable,
  n: { jobId: string; template: string; to: string; providerMessageId?: string | null; key: Buffer },
): Promise<boolean> {
  const r = await db.query(
    `INSERT INTO notifications_sent (id, job_id, channel, template, to_hash, provider_message_id)
     VALUES ($1, $2, 'email', $3, $4, $5)
     ON CONFLICT (job_id) DO NOTHING`,
    [newId('msg'), n.jobId, n.template, hashAddress(n.key, n.to), n.providerMessageId ?? null],
  );
  return r.rowCount === 1;
}

/** A handler asks this before sending, so a retried job does not mail twice. */
export async function wasNotificationSent(db: Queryable, jobId: string): Promise<boolean> {
  const r = await db.query('SELECT 1 FROM notifications_sent WHERE job_id = $1', [jobId]);
  return r.rows.length > 0;
}

/** Keyed: an unkeyed hash of an address is reversed by hashing a list of known addresses. */
export function hashAddress(key: Buffer, to: string): string {
  return hmac(key, to.trim().toLowerCase());
}
