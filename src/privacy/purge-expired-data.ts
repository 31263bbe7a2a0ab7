import { recordEvent } from '../audit/index.js';
import { scopedDb, type Db } from '../db/index.js';
import { deleteExpiredChallenges } from '../gateway-sandbox/index.js';
import { deleteWithDependents } from './purge-repository.js';

const DAY = 86_400_000;
const BATCH = 500;
/** Codes are kept a day past expiry: the hourly send caps per address count them. */
const CODE_GRACE_MS = DAY;
/**
 * 3-D Secure challenges too are kept a day past their deadline: until then the merchant's confirming call
 * finds the expired challenge and answers authentication_expired, instead of opening a new one under the same key.
 */
const CHALLENGE_GRACE_MS = DAY;

export interface PurgeResult {
  cutoff: string;
  /** Rows deleted per table: counts only, never what they held. */
  deleted: Record<string, number>;
}

/**
 * Retention (issue 6 part 5). Enrollments that never completed, and everything that references them (profile,
 * consents given there, codes, factors, risk signals, quotes…), once `unfinishedDays` have passed since they
 * could last be continued or were last touched; their finished outbox jobs; expired one-time codes, sign-in
 * links, WebAuthn challenges, sessions, stored idempotent responses and the sandbox gateway's expired 3-D Secure
 * challenges. One audit event with the counts.
 */
export async function purgeExpiredData(appDb: Db, opts: { now: Date; unfinishedDays: number; runId: string }): Promise<PurgeResult> {
  // Retention runs over every tenant's rows (expired dashboard links) and rows from before any tenant (an
  // unfinished enrollment's consents and audit): a named system scope, whoever calls it.
  const db = scopedDb(appDb, { system: 'retention-purge' });
  const cutoff = new Date(opts.now.getTime() - opts.unfinishedDays * DAY);
  const deleted: Record<string, number> = {};
  const add = (table: string, n: number) => {
    if (n > 0) deleted[table] = (deleted[table] ?? 0) + n;
  };
  // In batches, each its own transaction: a backlog of months does not hold locks for minutes.
  for (;;) {
    const n = await db.transaction(async (tx) => {
      const { rows } = await tx.query<{ id: string }>(
        `SELECT id FROM enrollments WHERE state <> 'completed' AND greatest(expires_at, updated_at) < $1 ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
        [cutoff],
      );
      const ids = rows.map((r) => r.id);
      if (ids.length === 0) return 0;
      const jobs = await tx.query(`DELETE FROM outbox_jobs WHERE status IN ('done', 'dead') AND payload->>'enrollment_id' = ANY($1::text[])`, [ids]);
      add('outbox_jobs', jobs.rowCount);
      for (const [table, count] of Object.entries(await deleteWithDependents(tx, 'enrollments', 'id = ANY($1::text[])', ids))) add(table, count);
      return ids.length;
    });
    if (n < BATCH) break;
  }
  await db.transaction(async (tx) => {
    const now = opts.now;
    add('verification_codes', (await tx.query('DELETE FROM verification_codes WHERE expires_at < $1', [new Date(now.getTime() - CODE_GRACE_MS)])).rowCount);
    add('dashboard_links', (await tx.query('DELETE FROM dashboard_links WHERE expires_at < $1', [now])).rowCount);
    add('webauthn_challenges', (await tx.query(
      'DELETE FROM webauthn_challenges WHERE expires_at < $1 OR session_id IN (SELECT id FROM sessions WHERE expires_at < $1)', [now],
    )).rowCount);
    add('gateway_challenges', await deleteExpiredChallenges(tx, new Date(now.getTime() - CHALLENGE_GRACE_MS)));
    // A live session may name the expired one it replaced: that bookkeeping link goes, the live session stays.
    await tx.query('UPDATE sessions SET replaces_session_id = NULL WHERE replaces_session_id IN (SELECT id FROM sessions WHERE expires_at < $1)', [now]);
    add('sessions', (await tx.query('DELETE FROM sessions WHERE expires_at < $1', [now])).rowCount);
    // Stored responses replay bodies that may hold personal data; expired keys protect nothing any more.
    add('idempotency_keys', (await tx.query('DELETE FROM idempotency_keys WHERE expires_at < $1', [now])).rowCount);
    await recordEvent(tx, {
      action: 'retention.purged',
      actor: { type: 'system' },
      subject: { type: 'retention_run', id: opts.runId },
      data: { cutoff: cutoff.toISOString(), unfinished_days: opts.unfinishedDays, deleted },
    });
  });
  return { cutoff: cutoff.toISOString(), deleted };
}
