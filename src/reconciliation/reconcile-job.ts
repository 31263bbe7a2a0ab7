import type { Deps } from '../deps.js';
import { ensureRecurringJob, scheduleNextRun, type JobHandler } from '../jobs/index.js';
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
    await scheduleNextRun(deps.db, 'reconcile', now, DAY);
  };
}

/** At start-up: make sure one run is scheduled (the first process to start schedules it). */
export async function ensureReconciliationScheduled(db: Deps['db'], now: Date): Promise<void> {
  await ensureRecurringJob(db, 'reconcile', now, DAY);
}
