import type { Deps } from '../deps.js';
import { ensureRecurringJob, scheduleNextRun, type JobHandler } from '../jobs/index.js';
import { purgeExpiredData } from './purge-expired-data.js';

const DAY = 86_400_000;

/** Job `purge-expired-data`: run the retention purge, then schedule the next run a day later. */
export function purgeExpiredDataHandler(deps: Pick<Deps, 'db' | 'clock' | 'config'>): JobHandler {
  return async (job) => {
    const now = deps.clock.now();
    await purgeExpiredData(deps.db, { now, unfinishedDays: deps.config.retention.unfinishedDays, runId: job.id });
    await scheduleNextRun(deps.db, 'purge-expired-data', now, DAY);
  };
}

/** At start-up: make sure one run is scheduled (the first process to start schedules it). */
export async function ensureRetentionScheduled(db: Deps['db'], now: Date): Promise<void> {
  await ensureRecurringJob(db, 'purge-expired-data', now, DAY);
}
