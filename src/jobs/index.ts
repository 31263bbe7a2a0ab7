export { enqueueJob, jobRows, prepareJob, type NewJob } from './enqueue-job.js';
export { createWorker, type JobHandler, type Worker, type WorkerOptions } from './worker.js';
export { backoffMs, backoffCeilingMs, BACKOFF_BASE_MS, BACKOFF_CAP_MS } from './backoff.js';
export { jobErrors } from './errors.js';
export { getJob, type OutboxJobRow } from './repository.js';
export { ensureRecurringJob, scheduleNextRun } from './recurring-job.js';
