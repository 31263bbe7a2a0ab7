import type { Logger } from 'pino';
import type { Db } from '../db/index.js';
import { isAppError } from '../kernel/errors.js';
import { backoffMs } from './backoff.js';
import { jobErrors } from './errors.js';
import { createDoneMarker } from './done-marker.js';
import { buryExpiredLeases, claimJobs, markJobFailed, type OutboxJobRow } from './repository.js';

/** Handles one job. Jobs are at-least-once: a handler must be idempotent. Throw `jobErrors.job_failed_permanently` to dead-letter at once. */
export type JobHandler = (job: { id: string; type: string; payload: any; attempts: number }) => Promise<void>;

/** The in-process outbox worker. */
export interface Worker {
  start(): void;
  stop(): Promise<void>;
  nudge(): void;
  /** tests: claim and run until nothing is due */
  drain(): Promise<number>;
}

export interface WorkerOptions {
  db: Db;
  handlers: Record<string, JobHandler>;
  logger: Logger;
  /** default 250 */
  pollMs?: number;
  /** default 10 */
  batchSize?: number;
  /** default 60; a handler that runs longer is failed (and may be retried) */
  lockSeconds?: number;
  /** Delay in ms after the given failed attempt; default full-jitter exponential (1 s base, 10 min cap). */
  backoff?: (attempt: number) => number;
  /** The app's clock: with a test clock, scheduled jobs fall due as it is advanced. */
  clock?: { now(): Date };
}

/** Create the outbox worker: polls, and runs a cycle at once when nudged after a commit. */
export function createWorker(opts: WorkerOptions): Worker {
  const { db, handlers, logger } = opts;
  const pollMs = opts.pollMs ?? 250;
  const batchSize = opts.batchSize ?? 10;
  const lockSeconds = opts.lockSeconds ?? 60;
  const backoff = opts.backoff ?? ((attempt: number) => backoffMs(attempt));
  const log = logger.child({ component: 'outbox-worker' });
  const markDone = createDoneMarker(db);

  let running = false;
  let nudged = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  const cycles = new Set<Promise<number>>();

  async function runJob(job: OutboxJobRow): Promise<void> {
    const ctx = { job_id: job.id, job_type: job.type, attempts: job.attempts, max_attempts: job.max_attempts };
    try {
      // Own-property lookup: a type named "constructor" must not find Object.prototype's.
      const handler = Object.hasOwn(handlers, job.type) ? handlers[job.type] : undefined;
      if (!handler) throw jobErrors.job_type_unknown({ detail: `no handler for job type ${job.type}` });
      await withTimeout(handler({ id: job.id, type: job.type, payload: job.payload, attempts: job.attempts }), lockSeconds * 1000);
      if (!(await markDone(job.id, job.attempts))) log.warn(ctx, 'job finished after its lease was taken over');
    } catch (err) {
      // A handler throws job_failed_permanently when a retry cannot help (an SMS provider refused the number for good).
      const permanent = isAppError(err, jobErrors.job_failed_permanently);
      const dead = permanent || job.attempts >= job.max_attempts;
      // Log the error with the job's id and type, never its payload.
      log[dead ? 'error' : 'warn']({ ...ctx, err, dead }, dead ? (permanent ? 'job failed permanently: dead-lettered' : 'job failed for the last time: dead-lettered') : 'job failed: will retry');
      try {
        await markJobFailed(db, job.id, job.attempts, { dead, error: describe(err), delayMs: dead ? 0 : backoff(job.attempts) });
      } catch (settleErr) {
        // The lease expires and the job is reclaimed: at-least-once still holds.
        log.error({ ...ctx, err: settleErr }, 'could not record the job failure');
      }
    }
  }

  // Poison jobs are rare: look for them once a second, not on every nudge (a round trip per enrollment).
  let lastBury = 0;
  async function cycleOnce(force = false): Promise<number> {
    if (force || Date.now() - lastBury >= 1000) {
      lastBury = Date.now();
      await buryExpiredLeases(db);
    }
    const jobs = await claimJobs(db, batchSize, lockSeconds, opts.clock?.now());
    // One batch runs concurrently; runJob never rejects.
    await Promise.all(jobs.map(runJob));
    return jobs.length;
  }

  function cycle(force = false): Promise<number> {
    const p = cycleOnce(force);
    cycles.add(p);
    const forget = () => cycles.delete(p);
    p.then(forget, forget);
    return p;
  }

  async function pollLoop(): Promise<void> {
    while (running) {
      nudged = false;
      let claimed = 0;
      let failed = false;
      try {
        claimed = await cycle();
      } catch (err) {
        failed = true; // the database is down or busy: wait a poll interval, do not spin
        log.error({ err }, 'outbox claim cycle failed');
      }
      if (!running) break;
      if (!failed && (claimed >= batchSize || nudged)) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, pollMs);
        function done() {
          clearTimeout(timer);
          wake = undefined;
          resolve();
        }
        wake = done;
      });
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = pollLoop();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
      loop = undefined;
      await Promise.allSettled([...cycles]);
    },
    nudge() {
      if (!running) return;
      // Coalesce: many nudges during a cycle cause one more cycle, not many.
      nudged = true;
      wake?.();
    },
    async drain() {
      let total = 0;
      for (;;) {
        const n = await cycle(true);
        total += n;
        if (n === 0) return total;
      }
    },
  };
}

function describe(err: unknown): string {
  if (isAppError(err)) return `${err.code}: ${err.message}`;
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}

function withTimeout(p: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(jobErrors.job_timeout({ detail: `handler still running after ${ms} ms` })), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
