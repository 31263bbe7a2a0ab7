import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from './helpers/db.js';

// One database for the file: each block works on its own probe table or on none.
let db: Awaited<ReturnType<typeof createTestDb>>;
beforeAll(async () => {
  db = await createTestDb();
  await db.exec(`CREATE TABLE defer_probe (id text PRIMARY KEY, n int NOT NULL CHECK (n >= 0))`);
  await db.exec(`CREATE TABLE last_probe (id text PRIMARY KEY, n int NOT NULL CHECK (n >= 0))`);
});
afterAll(async () => {
  await db.exec(`DROP TABLE defer_probe`);
  await db.exec(`DROP TABLE last_probe`);
  await db.dropAfter();
});

/**
 * Tx.defer: a write sent with the transaction's next statement or its COMMIT. It must run in order, and its
 * failure must abort the transaction: thrown by the next statement or by the commit, with nothing committed.
 */
describe('deferred writes', () => {
  const count = async (prefix: string) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM defer_probe WHERE id LIKE $1`, [`${prefix}%`])).rows[0]!.n;

  it('runs in issue order, before the statement that follows, and commits with the transaction', async () => {
    const seen = await db.transaction(async (tx) => {
      tx.defer(`INSERT INTO defer_probe (id, n) VALUES ($1, 1)`, ['a1']);
      tx.defer(`UPDATE defer_probe SET n = n + 1 WHERE id = $1`, ['a1']);
      return (await tx.query<{ n: number }>(`SELECT n FROM defer_probe WHERE id = 'a1'`)).rows[0]?.n;
    });
    expect(seen).toBe(2);
    // Deferred writes that nothing follows travel with COMMIT, also in a transaction that sent nothing else.
    await db.transaction(async (tx) => {
      tx.defer(`INSERT INTO defer_probe (id, n) VALUES ($1, 1)`, ['a2']);
    });
    expect(await count('a')).toBe(2);
  });

  it('a failed deferred write is thrown by the next statement, and nothing of the transaction is committed', async () => {
    const failure = await db
      .transaction(async (tx) => {
        await tx.query(`INSERT INTO defer_probe (id, n) VALUES ('b1', 1)`);
        tx.defer(`INSERT INTO defer_probe (id, n) VALUES ('b2', -1)`); // violates the check
        await tx.query(`SELECT 1`);
        return 'went on';
      })
      .catch((err: { code?: string }) => err);
    expect(failure).toMatchObject({ code: '23514' });
    expect(await count('b')).toBe(0);
  });

  it('a failed deferred write that travels with COMMIT is thrown by the commit, and nothing is committed', async () => {
    const failure = await db
      .transaction(async (tx) => {
        await tx.query(`INSERT INTO defer_probe (id, n) VALUES ('c1', 1)`);
        tx.defer(`INSERT INTO defer_probe (id, n) VALUES ('c1', 2)`); // duplicate key
        return 'committed?';
      })
      .catch((err: { code?: string }) => err);
    expect(failure).toMatchObject({ code: '23505' });
    expect(await count('c')).toBe(0);
  });

  it('a transaction that throws before its deferred writes were sent sends none of them', async () => {
    await expect(
      db.transaction(async (tx) => {
        tx.defer(`INSERT INTO defer_probe (id, n) VALUES ('d1', 1)`);
        throw new Error('changed its mind');
      }),
    ).rejects.toThrow('changed its mind');
    expect(await count('d')).toBe(0);
  });
});

describe('statements of one transaction issued together', () => {
  it('answer each with its own result, in a transaction that also sees its own earlier writes', async () => {
    const out = await db.transaction(async (tx) => {
      await tx.query(`CREATE TEMP TABLE together_probe (n int) ON COMMIT DROP`);
      tx.defer(`INSERT INTO together_probe VALUES (1), (2)`);
      return Promise.all([
        tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM together_probe`),
        tx.query<{ v: string }>(`SELECT 'b' AS v`),
        tx.query<{ n: number }>(`SELECT sum(n)::int AS n FROM together_probe`),
      ]);
    });
    expect(out.map((r) => r.rows[0])).toEqual([{ n: 2 }, { v: 'b' }, { n: 3 }]);
  });

  it('none of them overtakes a deferred write queued before them (PGlite ran them between two such writes)', async () => {
    const seen = await db.transaction(async (tx) => {
      await tx.query(`CREATE TEMP TABLE order_probe (n int) ON COMMIT DROP`);
      tx.defer(`INSERT INTO order_probe VALUES (1)`);
      tx.defer(`UPDATE order_probe SET n = n + 1`);
      const answers = await Promise.all([
        tx.query<{ n: number }>(`SELECT n FROM order_probe`),
        tx.query<{ n: number }>(`SELECT n FROM order_probe`),
        tx.last<{ n: number }>(`SELECT n FROM order_probe`),
      ]);
      return answers.map((a) => a.rows[0]?.n);
    });
    expect(seen).toEqual([2, 2, 2]);
  });

  it('a failure among them fails the transaction with the first error', async () => {
    const failure = await db
      .transaction((tx) => Promise.all([tx.query(`SELECT 1`), tx.query(`SELECT 1/0`), tx.query(`SELECT 3`)]))
      .catch((err: { code?: string }) => err);
    expect(failure).toMatchObject({ code: '22012' });
  });
});

describe("a transaction's last statement, sent with its COMMIT", () => {
  const ids = async () => (await db.query<{ id: string }>(`SELECT id FROM last_probe ORDER BY id`)).rows.map((r) => r.id);

  it('answers with its result and commits everything before it, deferred writes included', async () => {
    const r = await db.transaction(async (tx) => {
      await tx.query(`INSERT INTO last_probe VALUES ('a1', 1)`);
      tx.defer(`INSERT INTO last_probe VALUES ('a2', 1)`);
      return tx.last<{ n: number }>(`INSERT INTO last_probe VALUES ('a3', 3) RETURNING n`);
    });
    expect(r.rows).toEqual([{ n: 3 }]);
    expect(await ids()).toEqual(['a1', 'a2', 'a3']);
  });

  it('issued with reads in the same tick, makes a whole read-only transaction', async () => {
    const [one, two] = await db.transaction((tx) => Promise.all([tx.query<{ v: number }>(`SELECT 1 AS v`), tx.last<{ v: number }>(`SELECT 2 AS v`)]));
    expect([one.rows[0]!.v, two.rows[0]!.v]).toEqual([1, 2]);
  });

  it('a failure in it (or before it) commits nothing', async () => {
    const failure = await db
      .transaction(async (tx) => {
        await tx.query(`INSERT INTO last_probe VALUES ('b1', 1)`);
        return tx.last(`INSERT INTO last_probe VALUES ('b2', -1)`);
      })
      .catch((err: { code?: string }) => err);
    expect(failure).toMatchObject({ code: '23514' });
    const deferredFailure = await db
      .transaction(async (tx) => {
        tx.defer(`INSERT INTO last_probe VALUES ('b3', -1)`);
        return tx.last(`INSERT INTO last_probe VALUES ('b4', 1)`);
      })
      .catch((err: { code?: string }) => err);
    expect(deferredFailure).toMatchObject({ code: '23514' });
    expect((await ids()).filter((id) => id.startsWith('b'))).toEqual([]);
  });

  it('failed, with its error caught by the caller, it still fails the transaction (PostgreSQL reported success)', async () => {
    const outcome = await db
      .transaction(async (tx) => {
        await tx.query(`INSERT INTO last_probe VALUES ('c1', 1)`);
        await tx.last(`INSERT INTO last_probe VALUES ('c2', -1)`).catch(() => undefined);
        return 'reported as committed';
      })
      .then((v) => v, (err: { code?: string }) => err.code);
    expect(outcome).toBe('25P02');
    expect((await ids()).filter((id) => id.startsWith('c'))).toEqual([]);
  });

  it('a function that throws after it still commits (COMMIT has left with it), and its error is thrown', async () => {
    const outcome = await db
      .transaction(async (tx) => {
        await tx.query(`INSERT INTO last_probe VALUES ('d1', 1)`);
        await tx.last(`INSERT INTO last_probe VALUES ('d2', 1)`);
        throw Object.assign(new Error('checked in JS after the last statement'), { code: 'probe' });
      })
      .then(() => 'no error', (err: { code?: string }) => err.code);
    expect(outcome).toBe('probe');
    expect((await ids()).filter((id) => id.startsWith('d'))).toEqual(['d1', 'd2']);
  });

  it('nothing may be issued after it', async () => {
    const failure = await db
      .transaction(async (tx) => {
        const last = tx.last(`SELECT 1`);
        await expect(tx.query(`SELECT 2`)).rejects.toThrow();
        expect(() => tx.defer(`SELECT 3`)).toThrow();
        return last;
      })
      .then(() => 'ok', (err: unknown) => err);
    expect(failure).toBe('ok');
  });
});
