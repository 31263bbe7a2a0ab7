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
  // Every round trip to PostgreSQL costs both processes a wake-up, which on these small machines is
  // most of a simple statement's cost; the adapter spends as few as the scoping allows:
  // - an unscoped plain query runs outside any transaction as its view's role, a *session* setting
  //   switched (one statement) only when the view asking differs from the connection's last one;
  //   tenant and system scope are never set at session level, so such a query sees no tenant's rows;
  // - a transaction opens with BEGIN and the transaction-local role, tenant and system scope in
  //   one simple-protocol message, and ends with COMMIT or ROLLBACK, so no pooled connection
  //   hands a tenant to its next user.
  const sessionRole = new WeakMap<pg.PoolClient, string>();
  /** A pooled connection at session role `want` ('none' = the connecting role). */
  const connect = async (want: string) => {
    const client = await pool.connect();
    try {
      if ((sessionRole.get(client) ?? 'none') !== want) {
        await client.query(statement(SESSION_ROLE, [want]));
        sessionRole.set(client, want);
      }
    } catch (err) {
      // Its role is unknown now: the connection is destroyed rather than handed back.
      client.release(true);
      throw err;
    }
    return client;
  };
  let closed = false;
  const view = (role: string | null): Db => ({
    kind: 'postgres',
    async query<T>(sql: string, params?: unknown[]) {
      const client = await connect(role ?? 'none');
      try {
        const r = await client.query(statement(sql, params));
        return { rows: r.rows as T[], rowCount: r.rowCount ?? 0 } satisfies QueryResult<T>;
      } finally {
        client.release();
      }
    },
    async exec(sql: string) {
      if (role) throw new Error('exec is for migrations, as the owner');
      const client = await connect('none');
      try {
        await client.query(sql);
      } finally {
        client.release();
      }
    },
    async transaction<T>(fn: (tx: Tx) => Promise<T>, scope?: TxScope) {
      const client = await pool.connect();
      try {
        const begin = role
          ? `BEGIN; ${openScope(client, scopeParams(role, scope))}`
          : (sessionRole.get(client) ?? 'none') !== 'none' ? `BEGIN; SELECT set_config('role', 'none', true)` : 'BEGIN';
        await client.query(begin);
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

const SESSION_ROLE = `SELECT set_config('role', $1, false)`;

/**
 * OPEN_SCOPE with its values inlined as escaped literals, so that it can share BEGIN's message
 * (the simple protocol takes several statements but no parameters). The values are a configured
 * role, an id the app minted and a reason written in code; escapeLiteral quotes them regardless.
 */
function openScope(client: pg.PoolClient, values: readonly [string, string, string]): string {
  return OPEN_SCOPE.replace(/\$([123])/g, (_, i: string) => client.escapeLiteral(values[Number(i) - 1]!));
}
