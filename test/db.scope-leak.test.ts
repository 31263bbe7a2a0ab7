import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDb, scopedDb, type Db } from '../src/db/index.js';
import { createTestDb } from './helpers/db.js';

const settings = `SELECT current_user AS role, coalesce(current_setting('app.tenant_id', true), '') AS tenant, coalesce(current_setting('app.system', true), '') AS system`;

/**
 * A transaction that forgets its scope must not inherit the previous one's: on PGlite's single
 * session, and on a pooled PostgreSQL connection that the previous transaction just released.
 */
describe('transaction scope never leaks into the next transaction', () => {
  let owner: Awaited<ReturnType<typeof createTestDb>>;
  let single: Db | null = null;
  beforeAll(async () => {
    owner = await createTestDb();
    // A row of tenant ten_a (FK triggers off for this fixture only: no tenant row behind it).
    await owner.transaction(async (tx) => {
      await tx.query(`SET LOCAL session_replication_role = replica`);
      await tx.query(`INSERT INTO roles (id, tenant_id, name, permissions) VALUES ('rol_leak', 'ten_a', 'leak', '{}')`);
    });
  });
  afterAll(async () => {
    await single?.close();
    await owner.dropAfter();
  });

  const check = async (db: Db) => {
    const app = db.asRole('enroll_app');
    expect(await app.transaction(async (tx) => (await tx.query(settings)).rows[0], { tenantId: 'ten_a' })).toEqual({ role: 'enroll_app', tenant: 'ten_a', system: '' });
    expect(await app.transaction(async (tx) => (await tx.query(settings)).rows[0])).toEqual({ role: 'enroll_app', tenant: '', system: '' });
    // …and so its rows: tenant ten_a's role is seen in its scope, and not by the next, unscoped transaction.
    const roles = `SELECT id FROM roles WHERE id = 'rol_leak'`;
    expect(await app.transaction(async (tx) => (await tx.query(roles)).rowCount, { tenantId: 'ten_a' })).toBe(1);
    expect(await app.transaction(async (tx) => (await tx.query(roles)).rowCount)).toBe(0);
    expect((await app.query(roles)).rowCount).toBe(0);
    expect((await app.query(settings)).rows[0]).toEqual({ role: 'enroll_app', tenant: '', system: '' });
    expect(await app.transaction(async (tx) => (await tx.query(settings)).rows[0], { system: 'test' })).toMatchObject({ tenant: '', system: 'test' });
    // A failed transaction rolls its settings back too.
    await expect(app.transaction(async (tx) => { await tx.query(settings); throw new Error('boom'); }, { tenantId: 'ten_b' })).rejects.toThrow();
    expect(await app.transaction(async (tx) => (await tx.query(settings)).rows[0])).toEqual({ role: 'enroll_app', tenant: '', system: '' });
    // A scoped plain query (a worker job's, through scopedDb) sees its scope, and leaves nothing
    // behind for the next plain query, transaction or owner statement on that session or connection.
    const job = scopedDb(app, { tenantId: 'ten_a' });
    expect((await job.query(settings)).rows[0]).toEqual({ role: 'enroll_app', tenant: 'ten_a', system: '' });
    expect((await job.query(roles)).rowCount).toBe(1);
    expect((await app.query(roles)).rowCount).toBe(0);
    expect((await app.query(settings)).rows[0]).toEqual({ role: 'enroll_app', tenant: '', system: '' });
    expect((await scopedDb(app, { system: 'test' }).query(settings)).rows[0]).toEqual({ role: 'enroll_app', tenant: '', system: 'test' });
    expect(await app.transaction(async (tx) => (await tx.query(settings)).rows[0])).toEqual({ role: 'enroll_app', tenant: '', system: '' });
    await job.query(settings);
    expect(await db.transaction(async (tx) => (await tx.query(settings)).rows[0])).toMatchObject({ tenant: '', system: '' });
    expect(await db.transaction(async (tx) => (await tx.query<{ role: string }>(settings)).rows[0]!.role)).not.toBe('enroll_app');
    // The owner view on the same session or connection is the connecting role again.
    expect((await db.query<{ role: string }>(settings)).rows[0]!.role).not.toBe('enroll_app');
  };

  it('on this engine (PGlite: one session; PostgreSQL: the test pool)', async () => {
    await check(owner);
  });

  /**
   * The PostgreSQL adapter writes BEGIN and the scope together with the statements behind them, without
   * waiting for their answers: a scope that fails must stop those statements, not let them run unscoped.
   * `nextval` shows whether a statement ran at all, since a sequence does not roll back.
   */
  const pipelined = async (db: Db) => {
    const seq = async () => (await db.query<{ v: number }>(`SELECT last_value AS v FROM invoice_number_seq`)).rows[0]!.v;
    await db.query(`SELECT nextval('invoice_number_seq')`); // past a fresh sequence's first call, which leaves last_value as it was
    const ghost = db.asRole('enroll_no_such_role'); // the scope fails: that role does not exist
    let before = await seq();
    await expect(ghost.queryInScope(`SELECT nextval('invoice_number_seq')`, [], { tenantId: 'ten_a' })).rejects.toMatchObject({ code: '22023' });
    expect(await seq()).toBe(before);
    before = await seq();
    await expect(ghost.transaction((tx) => tx.query(`SELECT nextval('invoice_number_seq')`), { system: 'test' })).rejects.toMatchObject({ code: '22023' });
    expect(await seq()).toBe(before);
    // A failing statement rolls back its one-statement transaction and leaves nothing open or scoped behind.
    const app = db.asRole('enroll_app');
    await expect(app.queryInScope(`SELECT 1/0`, [], { tenantId: 'ten_a' })).rejects.toMatchObject({ code: '22012' });
    expect((await app.query(settings)).rows[0]).toEqual({ role: 'enroll_app', tenant: '', system: '' });
    expect((await app.queryInScope(`SELECT id FROM roles WHERE id = 'rol_leak'`, [], { tenantId: 'ten_a' })).rowCount).toBe(1);
    // A transaction that sends no statement; one refused before it sends any (an empty tenant), which hands its
    // connection back (on a pool of one, the next query would wait forever otherwise).
    expect(await app.transaction(async () => 42, { tenantId: 'ten_a' })).toBe(42);
    await expect(app.transaction(async () => 42, { tenantId: '' })).rejects.toThrow();
    expect((await app.query(settings)).rowCount).toBe(1);
    // One whose later statement fails after the first wrote; and one whose caller catches that failure and returns:
    // PostgreSQL rolled it back, so it must not be reported as committed.
    const insert = `INSERT INTO roles (id, tenant_id, name, permissions) VALUES ('rol_x', 'ten_a', 'x', '{}')`;
    const writeThenFail = (swallow: boolean) => db.transaction(async (tx) => {
      await tx.query(`SET LOCAL session_replication_role = replica`);
      await tx.query(insert);
      const failing = tx.query(`SELECT 1/0`);
      if (swallow) await failing.catch(() => null);
      else await failing;
      return 'done';
    });
    await expect(writeThenFail(false)).rejects.toMatchObject({ code: '22012' });
    await expect(writeThenFail(true)).rejects.toMatchObject({ code: '25P02' }); // in_failed_sql_transaction
    expect((await db.query(`SELECT 1 FROM roles WHERE id = 'rol_x'`)).rowCount).toBe(0);
  };

  it('a scope that fails stops the statements sent behind it; a failed statement leaves nothing open', async () => {
    await pipelined(owner);
  });

  it.runIf(process.env.TEST_DATABASE_URL)('on a PostgreSQL pool of ONE connection, reused by every transaction', async () => {
    const url = new URL(process.env.TEST_DATABASE_URL!);
    const { rows } = await owner.query<{ db: string }>('SELECT current_database() AS db');
    url.pathname = `/${rows[0]!.db}`;
    single = createPostgresDb(url.toString(), { max: 1 });
    const pids = new Set<number>();
    for (let i = 0; i < 3; i++) pids.add((await single.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid);
    expect(pids.size).toBe(1);
    await check(single);
    await pipelined(single);
  });
});
