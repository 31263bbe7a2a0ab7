import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../../test/helpers/db.js';
import type { Queryable } from '../db/index.js';
import { createDoneMarker } from './done-marker.js';
import { createWorker, enqueueJob, getJob } from './index.js';
import { leaseKey, markJobsDone } from './repository.js';

describe('marking finished jobs done in batches', () => {
  let db: Awaited<ReturnType<typeof createTestDb>>;
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(() => db.dropAfter());

  /** A job claimed as `attempt` whose lease still holds. */
  async function running(attempt = 1): Promise<string> {
    const id = await db.transaction((tx) => enqueueJob(tx, 'job', {}));
    await db.query(`UPDATE outbox_jobs SET status = 'running', attempts = $2, locked_until = now() + interval '1 minute' WHERE id = $1`, [id, attempt]);
    return id;
  }

  /** The same database, counting the statements sent through it. */
  function counting(): Queryable & { statements: string[] } {
    const statements: string[] = [];
    return { statements, query: (sql, params) => (statements.push(sql), db.query(sql, params)), exec: (sql) => db.exec(sql) };
  }

  it('marks each job of the batch whose own lease holds, and no other', async () => {
    const [a, b, takenOver, pending] = [await running(), await running(), await running(2), await db.transaction((tx) => enqueueJob(tx, 'job', {}))];
    const marked = await markJobsDone(db, [{ id: a, attempt: 1 }, { id: b, attempt: 1 }, { id: takenOver, attempt: 1 }, { id: pending, attempt: 0 }]);
    expect([...marked].sort()).toEqual([leaseKey(a, 1), leaseKey(b, 1)].sort());
    expect(await getJob(db, a)).toMatchObject({ status: 'done', locked_until: null });
    expect((await getJob(db, a))!.done_at).not.toBeNull();
    expect(await getJob(db, b)).toMatchObject({ status: 'done' });
    // The stale attempt 1 did not settle attempt 2, nor a job nobody claimed.
    expect(await getJob(db, takenOver)).toMatchObject({ status: 'running', attempts: 2 });
    expect(await getJob(db, pending)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await markJobsDone(db, [])).toEqual(new Set());
  });

  it('jobs finishing together share one UPDATE, and each learns whether its own lease held', async () => {
    const q = counting();
    const markDone = createDoneMarker(q);
    const [a, b, takenOver] = [await running(), await running(), await running(2)];
    expect(await Promise.all([markDone(a, 1), markDone(b, 1), markDone(takenOver, 1)])).toEqual([true, true, false]);
    expect(q.statements).toHaveLength(1);
    expect(await getJob(db, takenOver)).toMatchObject({ status: 'running', attempts: 2 });
  });

  it('jobs finishing while an UPDATE is on its way wait for the next one, together', async () => {
    const q = counting();
    const markDone = createDoneMarker(q);
    const ids = [await running(), await running(), await running()];
    const first = markDone(ids[0]!, 1);
    await Promise.resolve(); // the first UPDATE has left
    await Promise.resolve();
    const later = [markDone(ids[1]!, 1), markDone(ids[2]!, 1)];
    expect(await Promise.all([first, ...later])).toEqual([true, true, true]);
    expect(q.statements).toHaveLength(2);
    // Idle again: the next job is marked at once.
    const next = await running();
    expect(await markDone(next, 1)).toBe(true);
    expect(q.statements).toHaveLength(3);
  });

  it('a failed UPDATE fails every job waiting on it, and the next one is tried afresh', async () => {
    let down = true;
    const flaky: Queryable = {
      query: (sql, params) => (down ? Promise.reject(new Error('connection refused')) : db.query(sql, params)),
      exec: (sql) => db.exec(sql),
    };
    const markDone = createDoneMarker(flaky);
    const [a, b] = [await running(), await running()];
    const results = await Promise.allSettled([markDone(a, 1), markDone(b, 1)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await getJob(db, a)).toMatchObject({ status: 'running' });
    down = false;
    expect(await markDone(a, 1)).toBe(true);
  });

  it("the worker settles a batch without touching a job whose lease was taken over, and warns for that one only", async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'debug' }, { write: (s: string) => void lines.push(s) });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    await db.query('DELETE FROM outbox_jobs'); // the worker claims whatever is due: only these two
    const ids = [await db.transaction((tx) => enqueueJob(tx, 'job', {})), await db.transaction((tx) => enqueueJob(tx, 'job', {}))];
    const stale = createWorker({ db, logger, batchSize: 5, handlers: { job: () => gate } });
    const first = stale.drain();
    const isRunning = async () => (await Promise.all(ids.map((id) => getJob(db, id)))).every((j) => j?.status === 'running');
    for (let i = 0; !(await isRunning()); i++) {
      if (i > 500) throw new Error('the jobs were never claimed');
      await new Promise((r) => setTimeout(r, 5));
    }
    // Another worker took the second job over (attempt 2) while both handlers still ran.
    await db.query(`UPDATE outbox_jobs SET attempts = 2, locked_until = now() + interval '1 minute' WHERE id = $1`, [ids[1]]);
    release();
    await first;
    expect(await getJob(db, ids[0]!)).toMatchObject({ status: 'done', attempts: 1 });
    expect(await getJob(db, ids[1]!)).toMatchObject({ status: 'running', attempts: 2 });
    const warned = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'job finished after its lease was taken over');
    expect(warned.map((l) => l.job_id)).toEqual([ids[1]]);
  });
});
