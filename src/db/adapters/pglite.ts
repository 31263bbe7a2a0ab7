import { mkdirSync } from 'node:fs';
import { PGlite, types, type Transaction } from '@electric-sql/pglite';
import { OPEN_SCOPE, scopeParams } from '../scope.js';
import type { Db, QueryResult, Tx, TxScope } from '../types.js';
import { statementAfterLast, transactionAborted } from '../transaction-aborted.js';

// int8 as a JS number on both engines: our bigints are money in minor units and counters, far below 2^53.
const parsers = { [types.INT8]: (v: string) => Number(v) };

/**
 * Embedded PostgreSQL (WASM). `dataDir` undefined = in memory (tests);
 * `loadDataDir` starts from a dump (a migrated template: 10× faster than initdb).
 */
export async function createPgliteDb(dataDir?: string, opts: { loadDataDir?: Blob } = {}): Promise<Db> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const pg = await PGlite.create({ dataDir, parsers, loadDataDir: opts.loadDataDir });
  return wrapPglite(pg);
}

function toResult<T>(r: { rows: unknown[]; affectedRows?: number }): QueryResult<T> {
  // PGlite reports affectedRows 0 for a SELECT; pg reports the rows returned. Match pg.
  return { rows: r.rows as T[], rowCount: Math.max(r.affectedRows ?? 0, r.rows.length) };
}

/** A transaction's Tx; `flush()` runs what was deferred, as the next statement or the commit would. */
function txOf(t: Transaction, onError: () => void): Tx & { flush(): Promise<void>; readonly ended: boolean } {
  // Deferred statements wait for the next statement, as on PostgreSQL (where they share its write), so a
  // failure among them surfaces at the same point on both engines.
  let deferred: { sql: string; params?: unknown[] }[] = [];
  let ended = false; // last() was issued: the transaction commits when its function returns
  const notEnded = () => {
    if (ended) throw statementAfterLast();
  };
  const run = async <R>(sql: string, params?: unknown[]) => {
    try {
      return toResult<R>(await t.query(sql, params as any[]));
    } catch (err) {
      onError();
      throw err;
    }
  };
  // Every statement runs in the order it was issued, deferred ones included: statements issued together
  // (Promise.all) must not overtake the deferred writes queued before them, as they cannot on PostgreSQL, where
  // they are written behind them on one connection.
  let tail: Promise<unknown> = Promise.resolve();
  const inOrder = <R>(f: () => Promise<R>): Promise<R> => {
    const p = tail.then(f);
    tail = p.catch(() => undefined);
    return p;
  };
  /** The deferred statements, then `f`, in issue order. */
  const afterDeferred = <R>(f: () => Promise<R>): Promise<R> => {
    const queued = deferred;
    deferred = [];
    return inOrder(async () => {
      for (const q of queued) await run(q.sql, q.params);
      return f();
    });
  };
  const flush = () => afterDeferred(async () => undefined);
  return {
    __tx: true,
    flush,
    get ended() {
      return ended;
    },
    async query<R>(sql: string, params?: unknown[]) {
      notEnded();
      return afterDeferred(() => run<R>(sql, params));
    },
    async exec(sql: string) {
      notEnded();
      await afterDeferred(() => t.exec(sql));
    },
    defer(sql: string, params?: unknown[]) {
      notEnded();
      deferred.push({ sql, params });
    },
    // In-process, COMMIT costs nothing to send separately: the statement runs now and the transaction commits when
    // its function returns, which is the same outcome as on PostgreSQL as long as nothing follows (refused above).
    async last<R>(sql: string, params?: unknown[]) {
      notEnded();
      ended = true;
      return afterDeferred(() => run<R>(sql, params));
    },
  };
}

export function wrapPglite(pg: PGlite): Db & { dump(): Promise<Blob> } {
  // PGlite's user is a superuser, whom row-level security never binds. The app view switches to
  // its role inside every transaction; its plain queries run in one too (in-process, cheap), so
  // the single session's own role never changes and the owner view stays the superuser.
  const view = (role: string | null): Db & { dump(): Promise<Blob> } => {
    const self: Db & { dump(): Promise<Blob> } = {
      kind: 'pglite',
      dump: () => pg.dumpDataDir('none'),
      async query<T>(sql: string, params?: unknown[]) {
        if (!role) return toResult<T>(await pg.query(sql, params as any[]));
        return pg.transaction(async (t) => {
          await t.query(OPEN_SCOPE, scopeParams(role));
          return toResult<T>(await t.query(sql, params as any[]));
        });
      },
      async exec(sql: string) {
        if (role) throw new Error('exec is for migrations, as the owner');
        await pg.exec(sql);
      },
      // PGlite has one session: its transaction() holds a mutex, so transactions
      // serialize and a plain query waits for the open transaction to finish.
      async transaction<T>(fn: (tx: Tx) => Promise<T>, scope?: TxScope) {
        let thrownAfterLast: { err: unknown } | undefined;
        const out = await pg.transaction(async (t) => {
          if (role) await t.query(OPEN_SCOPE, scopeParams(role, scope));
          let failed = false;
          const tx = txOf(t, () => (failed = true));
          let out: T | undefined;
          try {
            out = await fn(tx);
          } catch (err) {
            // On PostgreSQL, COMMIT left with the last statement: a function that throws after last() does not undo
            // it. The same here, so that a test on PGlite sees what PostgreSQL does (the error is still thrown).
            if (!tx.ended) throw err;
            thrownAfterLast = { err };
          }
          await tx.flush();
          // A statement failed and the caller caught its error: the transaction is aborted and COMMIT would roll it
          // back without an error. Say so, as the PostgreSQL adapter does (a savepoint may have recovered it: ask).
          if (failed) {
            await t.query('SELECT 1').catch(() => {
              throw thrownAfterLast ? thrownAfterLast.err : transactionAborted();
            });
          }
          return out as T;
        });
        if (thrownAfterLast) throw thrownAfterLast.err;
        return out;
      },
      // In-process: nothing to save by sending it differently.
      async queryInScope<T>(sql: string, params: unknown[] | undefined, scope: TxScope) {
        return self.transaction((tx) => tx.query<T>(sql, params), scope);
      },
      asRole: (r: string) => view(r),
      async close() {
        if (!pg.closed) await pg.close();
      },
    };
    return self;
  };
  return view(null);
}
