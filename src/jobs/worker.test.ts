import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb } from '../../test/helpers/db.js';
import { backoffCeilingMs, backoffMs, createWorker, enqueueJob, getJob, jobErrors, type JobHandler } from './index.js';

function captureLogger() {
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (s: string) => void lines.push(s) });
  return { logger, lines };
}

const noBackoff = () => 0;

describe('outbox worker', () => {
  let db: Awaited<ReturnType<typeof createTestDb>>;
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(() => db.dropAfter());
  beforeEach(async () => {
    await db.query('DELETE FROM outbox_jobs');
  });

  const enqueue = (type: string, payload: Record<string, unknown> = {}, opts?: { maxAttempts?: number; runAt?: Date }) =>
    db.transaction((tx) => enqueueJob(tx, type, payload, opts));

  it('runs a committed job once and marks it done', async () => {
    const seen: unknown[] = [];
    const worker = createWorker({ db, logger: captureLogger().logger, handlers: { 'send-welcome-email': async (job) => void seen.push(job) } });
    const id = await enqueue('send-welcome-email', { customer_id: 'cus_1' });
    expect(await worker.drain()).toBe(1);
    expect(seen).toEqual([{ id, type: 'send-welcome-email', payload: { customer_id: 'cus_1' }, attempts: 1 }]);
    const job = await getJob(db, id);
    expect(job).toMatchObject({ status: 'done', attempts: 1, locked_until: null });
    expect(job!.done_at).not.toBeNull();
    expect(await worker.drain()).toBe(0);
  });

  it('a rolled-back enqueue never runs', async () => {
    let calls = 0;
    const worker = createWorker({ db, logger: captureLogger().logger, handlers: { 'send-welcome-email': async () => void calls++ } });
    await db.transaction(async (tx) => {
      await enqueueJob(tx, 'send-welcome-email', {});
      throw new Error('rollback');
    }).catch(() => undefined);
    expect(await worker.drain()).toBe(0);
    expect(calls).toBe(0);
  });

  it('does not run a job before its run_at', async () => {
    let calls = 0;
    const worker = createWorker({ db, logger: captureLogger().logger, handlers: { later: async () => void calls++ } });
    await enqueue('later', {}, { runAt: new Date(Date.now() + 60_000) });
    expect(await worker.drain()).toBe(0);
    expect(calls).toBe(0);
  });

  it('retries with backoff: fails twice, then succeeds → done with attempts 3', async () => {
    let calls = 0;
    const flaky: JobHandler = async () => {
      calls++;
      if (calls <= 2) throw new Error(`smtp unavailable (${calls})`);
    };
    // The real full-jitter backoff, with the dice fixed near the top so a retry cannot come due mid-drain.
    const worker = createWorker({ db, logger: captureLogger().logger, handlers: { flaky }, backoff: (a) => backoffMs(a, { random: () => 0.99 }) });
    const id = await enqueue('flaky');
    const delayMs = async () => {
      const { rows } = await db.query<{ d: number }>(`SELECT extract(epoch FROM (run_at - updated_at)) * 1000 AS d FROM outbox_jobs WHERE id = $1`, [id]);
      return Math.round(Number(rows[0].d));
    };

    // The backoff puts the retry in the future: drain stops there.
    expect(await worker.drain()).toBe(1);
    expect(await getJob(db, id)).toMatchObject({ status: 'pending', attempts: 1, last_error: 'Error: smtp unavailable (1)' });
    expect(await delayMs()).toBe(990); // 0.99 × 1 s

    // Skip the wait in SQL.
    await db.query(`UPDATE outbox_jobs SET run_at = now() - interval '1 second' WHERE id = $1`, [id]);
    expect(await worker.drain()).toBe(1);
    expect(await getJob(db, id)).toMatchObject({ status: 'pending', attempts: 2, last_error: 'Error: smtp unavailable (2)' });
    expect(await delayMs()).toBe(1980); // 0.99 × 2 s: it grows

    await db.query(`UPDATE outbox_jobs SET run_at = now() - interval '1 second' WHERE id = $1`, [id]);
    expect(await worker.drain()).toBe(1);
    expect(await getJob(db, id)).toMatchObject({ status: 'done', attempts: 3 });
    expect(calls).toBe(3);
  });

  it('by default schedules the retry with full-jitter backoff within [0, ceiling]', async () => {
    const worker = createWorker({ db, logger: captureLogger().logger, handlers: { fails: async () => { throw new Error('down'); } } });
    const id = await enqueue('fails', {}, { maxAttempts: 5 });
    await worker.drain();
    const job = (await getJob(db, id))!;
    expect(job.status).toBe('pending');
    const delay = new Date(job.run_at).getTime() - new Date(job.updated_at).getTime();
    expect(delay).toBeGreaterThanOrEqual(0);
    expect(delay).toBeLessThanOrEqual(backoffCeilingMs(job.attempts));
  });

  it('dead-letters an always-failing job after max_attempts, keeping last_error', async () => {
    const { logger, lines } = captureLogger();
    let calls = 0;
    const worker = createWorker({
      db, logger, backoff: noBackoff,
      handlers: { 'always-fails': async () => { calls++; throw new Error(`boom ${calls}`); } },
    });
    const id = await enqueue('always-fails', { customer_id: 'cus_secretive', email: 'ada@example.com' }, { maxAttempts: 3 });
    expect(await worker.drain()).toBe(3);
    expect(calls).toBe(3);
    expect(await getJob(db, id)).toMatchObject({ status: 'dead', attempts: 3, last_error: 'Error: boom 3' });
    expect(await worker.drain()).toBe(0);

    // Logged with id and type, never the payload.
    const logs = lines.map((l) => JSON.parse(l));
    const failures = logs.filter((l) => l.job_id === id);
    expect(failures).toHaveLength(3);
    expect(failures.every((l) => l.job_type === 'always-fails' && l.err?.message)).toBe(true);
    expect(failures.at(-1)).toMatchObject({ level: 50, dead: true });
    expect(lines.join('\n')).not.toContain('ada@example.com');
    expect(lines.join('\n')).not.toContain('cus_secretive');
  });

  it('a handler that throws job_failed_permanently is dead-lettered on its first attempt, not retried', async () => {
    let calls = 0;
    const worker = createWorker({
      db, logger: captureLogger().logger, backoff: noBackoff,
      handlers: { 'refused-for-good': async () => { calls++; throw jobErrors.job_failed_permanently({ detail: 'provider refused the number' }); } },
    });
    const id = await enqueue('refused-for-good', {}, { maxAttempts: 8 });
    expect(await worker.drain()).toBe(1);
    expect(calls).toBe(1);
    expect(await getJob(db, id)).toMatchObject({ status: 'dead', attempts: 1 });
    expect((await getJob(db, id))!.last_error).toMatch(/^job_failed_permanently: /);
  });

  it('an unknown job type is a failure that ends dead, never silently dropped', async () => {
    const worker = createWorker({ db, logger: captureLogger().logger, backoff: noBackoff, handlers: {} });
    const id = await enqueue('no-such-job', {}, { maxAttempts: 2 });
    const proto = await enqueue('constructor', {}, { maxAttempts: 1 }); // not Object.prototype.constructor
    await worker.drain();
    expect(await getJob(db, id)).toMatchObject({ status: 'dead', attempts: 2 });
    expect((await getJob(db, id))!.last_error).toMatch(/^job_type_unknown: /);
    expect(await getJob(db, proto)).toMatchObject({ status: 'dead' });
  });

  it("reclaims a 'running' job whose lease expired (crashed worker), but not a live one", async () => {
    let calls = 0;
    const worker = createWorker({ db, logger: captureLogger().logger, handlers: { job: async () => void calls++ } });
    const crashed = await enqueue('job');
    const live = await enqueue('job');
    await db.query(`UPDATE outbox_jobs SET status = 'running', attempts = 1, locked_until = now() - interval '1 second' WHERE id = $1`, [crashed]);
    await db.query(`UPDATE outbox_jobs SET status = 'running', attempts = 1, locked_until = now() + interval '1 minute' WHERE id = $1`, [live]);
    expect(await worker.drain()).toBe(1);
    expect(calls).toBe(1);
    expect(await getJob(db, crashed)).toMatchObject({ status: 'done', attempts: 2 });
    expect(await getJob(db, live)).toMatchObject({ status: 'running', attempts: 1 });
  });

  it('dead-letters a job whose lease expired on its last attempt (a poison job must not loop)', async () => {
    let calls = 0;
    const worker = createWorker({ db, logger: captureLogger().logger, handlers: { job: async () => void calls++ } });
    const id = await enqueue('job', {}, { maxAttempts: 2 });
    await db.query(`UPDATE outbox_jobs SET status = 'running', attempts = 2, locked_until = now() - interval '1 second' WHERE id = $1`, [id]);
    expect(await worker.drain()).toBe(0);
    expect(calls).toBe(0);
    const job = await getJob(db, id);
    expect(job).toMatchObject({ status: 'dead', attempts: 2 });
    expect(job!.last_error).toMatch(/lease expired/);
  });

  it('a stale worker cannot settle a job another worker took over (attempts is the lease token)', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const staleLog = captureLogger();
    const stale = createWorker({ db, logger: staleLog.logger, lockSeconds: 30, handlers: { job: () => gate } });
    const id = await enqueue('job');
    const first = stale.drain();
    await waitFor(async () => (await getJob(db, id))?.status === 'running');
    // The lease runs out while the first handler still works; a second worker takes over and fails attempt 2.
    await db.query(`UPDATE outbox_jobs SET locked_until = now() - interval '1 second' WHERE id = $1`, [id]);
    const other = createWorker({ db, logger: captureLogger().logger, backoff: () => 60_000, handlers: { job: async () => { throw new Error('second worker failed'); } } });
    expect(await other.drain()).toBe(1);
    release();
    await first;
    // The stale "done" for attempt 1 did not overwrite attempt 2's outcome.
    expect(await getJob(db, id)).toMatchObject({ status: 'pending', attempts: 2, last_error: 'Error: second worker failed' });
    expect(staleLog.lines.join('')).toContain('job finished after its lease was taken over');
  });

  it('a handler that outlives its lease is failed with job_timeout', async () => {
    const worker = createWorker({
      db, logger: captureLogger().logger, lockSeconds: 0.05, backoff: () => 60_000,
      handlers: { hang: () => new Promise<void>((r) => setTimeout(r, 500)) },
    });
    const id = await enqueue('hang');
    expect(await worker.drain()).toBe(1);
    const job = await getJob(db, id);
    expect(job).toMatchObject({ status: 'pending', attempts: 1 });
    expect(job!.last_error).toMatch(/^job_timeout/);
  });

  it('runs one batch concurrently', async () => {
    let active = 0;
    let peak = 0;
    const worker = createWorker({
      db, logger: captureLogger().logger, batchSize: 5,
      handlers: { job: async () => { active++; peak = Math.max(peak, active); await sleep(30); active--; } },
    });
    for (let i = 0; i < 5; i++) await enqueue('job');
    expect(await worker.drain()).toBe(5);
    expect(peak).toBe(5);
  });

  it('two workers draining side by side run every job exactly once (SKIP LOCKED)', async () => {
    const runs = new Map<string, number>();
    const handlers = { job: async (j: { id: string }) => { runs.set(j.id, (runs.get(j.id) ?? 0) + 1); await sleep(2); } };
    const a = createWorker({ db, logger: captureLogger().logger, handlers, batchSize: 3 });
    const b = createWorker({ db, logger: captureLogger().logger, handlers, batchSize: 3 });
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push(await enqueue('job', { i }));
    const [na, nb] = await Promise.all([a.drain(), b.drain()]);
    expect(na + nb).toBe(30);
    expect(ids.every((id) => runs.get(id) === 1)).toBe(true);
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM outbox_jobs WHERE status = 'done'`);
    expect(rows[0].n).toBe(30);
  });

  it('nudge() runs a just-committed job at once, without waiting for the poll', async () => {
    const ran: { id: string; at: number }[] = [];
    const worker = createWorker({ db, logger: captureLogger().logger, pollMs: 60_000, handlers: { 'send-verification-code': async (j) => void ran.push({ id: j.id, at: Date.now() }) } });
    worker.start();
    try {
      await sleep(50); // the first (empty) cycle is done; the next poll is a minute away
      const id = await enqueue('send-verification-code', { enrollment_id: 'enr_1' });
      const committedAt = Date.now();
      worker.nudge();
      worker.nudge(); // coalesced
      worker.nudge();
      await waitFor(async () => ran.length > 0, 2_000);
      expect(ran[0].id).toBe(id);
      expect(ran[0].at - committedAt).toBeLessThan(1_000);
      await waitFor(async () => (await getJob(db, id))?.status === 'done');
    } finally {
      await worker.stop();
    }
    expect(ran).toHaveLength(1);
  });

  it('polls on its own when started', async () => {
    let calls = 0;
    const worker = createWorker({ db, logger: captureLogger().logger, pollMs: 20, handlers: { job: async () => void calls++ } });
    worker.start();
    worker.start(); // idempotent
    try {
      await enqueue('job');
      await waitFor(async () => calls === 1, 3_000);
    } finally {
      await worker.stop();
    }
  });

  it('stop() waits for in-flight handlers', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let finished = false;
    const worker = createWorker({ db, logger: captureLogger().logger, pollMs: 10, handlers: { job: async () => { await gate; finished = true; } } });
    const id = await enqueue('job');
    worker.start();
    await waitFor(async () => (await getJob(db, id))?.status === 'running');
    let stopped = false;
    const stopping = worker.stop().then(() => (stopped = true));
    await sleep(50);
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(finished).toBe(true);
    expect(await getJob(db, id)).toMatchObject({ status: 'done' });
    worker.nudge(); // a stopped worker ignores nudges
  });
});

function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}

async function waitFor(cond: () => Promise<boolean>, timeoutMs = 5_000) {
  const until = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await sleep(5);
  }
}
