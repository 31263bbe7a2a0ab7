import { createHash } from 'node:crypto';
import pg from 'pg';
import { OPEN_SCOPE, scopeParams } from '../scope.js';
import type { Db, QueryResult, Tx, TxScope } from '../types.js';

const types = {
  getTypeParser: (oid: number, format?: any) =>
    oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format),
};

// Named statements are parsed and planned once per connection instead of once per call.
// Names come from the SQL text, so the set is bounded by the distinct statements in the code.
const names = new Map<string, string>();
function statement(text: string, values?: unknown[]): pg.QueryConfig {
  let name = names.get(text);
  if (!name) {
    name = `s_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
    names.set(text, name);
  }
  return { name, text, values: values as any[] };
}

/** Real PostgreSQL through a pg pool; same SQL and repositories as PGlite. */
export function createPostgresDb(connectionString: string, opts: { max?: number } = {}): Db {
  const pool = new pg.Pool({ connectionString, max: opts.max ?? 20, types });
  // The session role each pooled connection is at ('none' = the connecting role): a plain query
  // outside a transaction switches it only when the view asking differs, so the app view pays
  // one SET per connection, not per query.
  const sessionRole = new WeakMap<pg.PoolClient, string>();
  let closed = false;
  const view = (role: string | null): Db => ({
    kind: 'postgres',
    async query<T>(sql: string, params?: unknown[]) {
      const client = await pool.connect();
      try {
        const want = role ?? 'none';
        if ((sessionRole.get(client) ?? 'none') !== want) {
          await client.query(`SELECT set_config('role', $1, false)`, [want]);
          sessionRole.set(client, want);
        }
        const r = await client.query(statement(sql, params));
        return { rows: r.rows as T[], rowCount: r.rowCount ?? 0 } satisfies QueryResult<T>;
      } finally {
        client.release();
      }
    },
    async exec(sql: string) {
      if (role) throw new Error('exec is for migrations, as the owner');
      await pool.query(sql);
    },
    async transaction<T>(fn: (tx: Tx) => Promise<T>, scope?: TxScope) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        if (role) await client.query(statement(OPEN_SCOPE, scopeParams(role, scope)));
        else if (sessionRole.get(client) && sessionRole.get(client) !== 'none') await client.query(`SELECT set_config('role', 'none', true)`);
        const tx: Tx = {
          __tx: true,
          async query<R>(sql: string, params?: unknown[]) {
            const r = await client.query(statement(sql, params));
            return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
          },
          async exec(sql: string) {
            await client.query(sql);
          },
        };
        const out = await fn(tx);
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    asRole: (r: string) => view(r),
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  });
  return view(null);
}
