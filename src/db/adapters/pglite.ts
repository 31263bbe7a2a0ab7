import { mkdirSync } from 'node:fs';
import { PGlite, types } from '@electric-sql/pglite';
import type { Db, QueryResult, Tx } from '../types.js';

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

export function wrapPglite(pg: PGlite): Db & { dump(): Promise<Blob> } {
  return {
    kind: 'pglite',
    dump: () => pg.dumpDataDir('none'),
    async query<T>(sql: string, params?: unknown[]) {
      return toResult<T>(await pg.query(sql, params as any[]));
    },
    async exec(sql: string) {
      await pg.exec(sql);
    },
    // PGlite has one session: its transaction() holds a mutex, so transactions
    // serialize and a plain query waits for the open transaction to finish.
    async transaction<T>(fn: (tx: Tx) => Promise<T>) {
      return pg.transaction(async (t) => {
        const tx: Tx = {
          __tx: true,
          async query<R>(sql: string, params?: unknown[]) {
            return toResult<R>(await t.query(sql, params as any[]));
          },
          async exec(sql: string) {
            await t.exec(sql);
          },
        };
        return fn(tx);
      });
    },
    async close() {
      await pg.close();
    },
  };
}
