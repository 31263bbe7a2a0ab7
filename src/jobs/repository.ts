import { deferWrite, type Queryable } from '../db/index.js';

export interface OutboxJobRow {
  id: string;
  type: string;
  payload: any;
  status: 'pending' | 'running' | 'done' | 'dead';
  attempts: number;
  max_attempts: number;
  run_at: Date;
  locked_until: Date | null;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
  done_at: Date | null;
}

export async function insertJob(
  db: Queryable,
  job: { id: string; type: string; payload: Record<string, unknown>; runAt?: Date; maxAttempts: number },
): Promise<void> {
  await deferWrite(
    db,
    `INSERT INTO outbox_jobs (id, type, payload, max_attempts, run_at)
     VALUES ($1, $2, $3, $4, coalesce($5::timestamptz, now()))`,
    [job.id, job.type, JSON.stringify(job.payload), job.maxAttempts, job.runAt?.toISOString() ?? null],
  );
}

/**
 * A job whose worker died on its last allowed attempt would otherwise be
 * reclaimed forever (a poison job that crashes the process): dead-letter it.
 */
export async function buryExpiredLeases(db: Queryable): Promise<number> {
  const r = await db.query(
    `UPDATE outbox_jobs
        SET status = 'dead', updated_at = now(),
            last_error = left(coalesce(last_error || ' | ', '') || 'lease expired on the last attempt (worker crashed or hung)', 2000)
      WHERE status = 'running' AND locked_until < now() AND attempts >= max_attempts`,
  );
  return r.rowCount;
}

/**
 * Claim due jobs. SKIP LOCKED lets several workers claim side by side without
 * waiting on each other or taking the same row; a 'running' job whose lease
 * expired belonged to a crashed worker and is taken over. `attempts` is
 * incremented here, so it doubles as the lease token for settling.
 */
export async function claimJobs(db: Queryable, limit: number, lockSeconds: number, clockNow?: Date): Promise<OutboxJobRow[]> {
  const r = await db.query<OutboxJobRow>(
    `UPDATE outbox_jobs
        SET status = 'running', attempts = attempts + 1, updated_at = now(),
            locked_until = now() + make_interval(secs => $2::double precision)
      WHERE id IN (
        SELECT id FROM outbox_jobs
         -- Due by the database's clock or the app's: a test clock advanced past run_at runs the job (trials, renewals).
         WHERE (status = 'pending' AND run_at <= greatest(now(), coalesce($3::timestamptz, now())))
            OR (status = 'running' AND locked_until < now() AND attempts < max_attempts)
         ORDER BY run_at
         LIMIT $1
         FOR UPDATE SKIP LOCKED)
      RETURNING *`,
    [limit, lockSeconds, clockNow ?? null],
  );
  // UPDATE … RETURNING does not keep the sub-select's order.
  return r.rows.sort((a, b) => new Date(a.run_at).getTime() - new Date(b.run_at).getTime());
}

/**
 * Mark finished jobs done in one statement; returns the `id:attempt` of those marked. Each row is settled only
 * if its own lease still holds (status 'running' and the same attempt): a reclaimed job belongs to its new
 * worker, whatever the other jobs of the batch did.
 */
export async function markJobsDone(db: Queryable, jobs: readonly { id: string; attempt: number }[]): Promise<Set<string>> {
  if (jobs.length === 0) return new Set();
  const r = await db.query<{ id: string; attempts: number }>(
    `UPDATE outbox_jobs SET status = 'done', done_at = now(), updated_at = now(), locked_until = NULL
      WHERE status = 'running' AND (id, attempts) IN (SELECT * FROM unnest($1::text[], $2::int[]))
      RETURNING id, attempts`,
    [jobs.map((j) => j.id), jobs.map((j) => j.attempt)],
  );
  return new Set(r.rows.map((row) => leaseKey(row.id, row.attempts)));
}

/** A job's lease: its id and the attempt that claimed it. */
export function leaseKey(id: string, attempt: number): string {
  return `${id}:${attempt}`;
}

export async function markJobFailed(
  db: Queryable,
  id: string,
  attempt: number,
  f: { dead: boolean; error: string; delayMs: number },
): Promise<boolean> {
  const r = await db.query(
    `UPDATE outbox_jobs
        SET status = CASE WHEN $3::boolean THEN 'dead' ELSE 'pending' END,
            last_error = left($4, 2000), locked_until = NULL, updated_at = now(),
            run_at = CASE WHEN $3::boolean THEN run_at ELSE now() + make_interval(secs => $5::double precision / 1000) END
      WHERE id = $1 AND status = 'running' AND attempts = $2`,
    [id, attempt, f.dead, f.error, f.delayMs],
  );
  return r.rowCount === 1;
}

export async function getJob(db: Queryable, id: string): Promise<OutboxJobRow | undefined> {
  const r = await db.query<OutboxJobRow>('SELECT * FROM outbox_jobs WHERE id = $1', [id]);
  return r.rows[0];
}
