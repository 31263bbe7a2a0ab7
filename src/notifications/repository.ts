import { auditRows, type AuditEvent } from '../audit/index.js';
import type { Queryable } from '../db/index.js';
import { hmac } from '../kernel/crypto.js';
import { newId } from '../kernel/ids.js';

/**
 * Record that a job's email or SMS left the system. ON CONFLICT makes it safe under
 * at-least-once delivery; returns false when the job had already recorded one.
 * The body (which may hold a one-time code) is never stored, nor the address:
 * only its hash, enough to answer "did we send X to this address?".
 */
export async function recordNotificationSent(
  db: Queryable,
  n: { jobId: string; channel?: 'email' | 'sms'; template: string; to: string; providerMessageId?: string | null; key: Buffer; audit?: AuditEvent },
): Promise<boolean> {
  const params: unknown[] = [newId('msg'), n.jobId, n.template, hashAddress(n.key, n.to), n.providerMessageId ?? null, n.channel ?? 'email'];
  const audit = n.audit ? auditRows([n.audit], params.length + 1) : null;
  if (audit) params.push(...audit.params);
  // The delivery record and its audit event in one statement: atomic without BEGIN/COMMIT, and the
  // audit row is written only if this job had not recorded its delivery already.
  const r = await db.query(
    `WITH n AS (INSERT INTO notifications_sent (id, job_id, channel, template, to_hash, provider_message_id)
                VALUES ($1, $2, $6, $3, $4, $5) ON CONFLICT (job_id) DO NOTHING RETURNING id)
     ${audit ? `, a AS (INSERT INTO audit_events ${audit.columns} SELECT v.* FROM (VALUES ${audit.values}) AS v WHERE EXISTS (SELECT 1 FROM n))` : ''}
     SELECT id FROM n`,
    params,
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
