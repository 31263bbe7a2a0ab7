import type { Deps } from '../deps.js';
import { enqueueJob, type JobHandler } from '../jobs/index.js';
import { reconcile } from './reconcile.js';

const DAY = 86_400_000;

/**
 * Job `reconcile`: compare the last two days (a day of overlap, so nothing
 * falls between runs), then schedule the next run a day later. Durable like
 * every job: a restart loses no run.
 */
export function reconcileHandler(deps: Pick<Deps, 'db' | 'gateway' | 'clock'>): JobHandler {
  return async () => {
    const now = deps.clock.now();
    await reconcile(deps, { since: new Date(now.getTime() - 2 * DAY), until: now, now });
    await deps.db.transaction((tx) => enqueueJob(tx, 'reconcile', {}, { runAt: nextRun(now) }));
  };
}

/** At start-up: make sure one run is scheduled (the first process to start schedules it). */
export async function ensureReconciliationScheduled(db: Deps['db'], now: Date): Promise<void> {
  const { rows } = await db.query(`SELECT 1 FROM outbox_jobs WHERE type = 'reconcile' AND status IN ('pending', 'running') LIMIT 1`);
  if (rows.length === 0) await db.transaction((tx) => enqueueJob(tx, 'reconcile', {}, { runAt: nextRun(now) }));
}

/**
 * A day after the later of the app's clock and the wall clock. Jobs fall due by either clock, so a test clock set in
 * the past must not schedule the next run in the past too: it would fall due at once, forever.
 */
function nextRun(now: Date): Date {
  return new Date(Math.max(now.getTime(), Date.now()) + DAY);
}
