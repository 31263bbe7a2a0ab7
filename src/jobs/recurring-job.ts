import type { Db } from '../db/index.js';
import { enqueueJob } from './enqueue-job.js';

/**
 * A job that reschedules itself `everyMs` after each run (reconciliation, retention). Durable like every job:
 * a restart loses no run. `ensureRecurringJob` at start-up schedules the first run when none is pending.
 */
export async function ensureRecurringJob(db: Db, type: string, now: Date, everyMs: number): Promise<void> {
  const { rows } = await db.query(`SELECT 1 FROM outbox_jobs WHERE type = $1 AND status IN ('pending', 'running') LIMIT 1`, [type]);
  if (rows.length === 0) await scheduleNextRun(db, type, now, everyMs);
}

/** Schedule the next run of a recurring job. */
export async function scheduleNextRun(db: Db, type: string, now: Date, everyMs: number): Promise<void> {
  await db.transaction((tx) => enqueueJob(tx, type, {}, { runAt: nextRun(now, everyMs) }));
}

/**
 * `everyMs` after the later of the app's clock and the wall clock. Jobs fall due by either clock, so a test clock
 * set in the past must not schedule the next run in the past too: it would fall due at once, forever.
 */
function nextRun(now: Date, everyMs: number): Date {
  return new Date(Math.max(now.getTime(), Date.now()) + everyMs);
}
