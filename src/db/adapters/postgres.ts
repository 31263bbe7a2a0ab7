import { createHash } from 'node:crypto';
import pg from 'pg';
import { OPEN_SCOPE, scopeParams, scopeStatement } from '../scope.js';
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

/** The settings a statement runs under: role ('none' = the connecting role), tenant, system reason. */
type Settings = readonly [role: string, tenant: string, system: string];
const OWNER: Settings = ['none', '', ''];
const same = (a: Settings, b: Settings) => a[0] === b[0] && a[1] === b[1] && a[2] === b[2];

/** Real PostgreSQL through a pg pool; same SQL and repositories as PGlite. */
export function createPostgresDb(connectionString: string, opts: { max?: number } = {}): Db {
  const pool = new pg.Pool({ connectionString, max: opts.max ?? 20, types });
  // Every round trip to PostgreSQL costs both processes a wake-up, which on these small machines is
  // most of a simple statement's cost; the adapter therefore spends as few as the scoping allows:
  // - a plain query runs outside any transaction under its connection's *session* settings, which
  //   are switched (one statement) only when the view or scope asking differs from the last one on
  //   that connection. Every plain query checks all three, so none ever runs under another's;
  // - a transaction opens with BEGIN and its transaction-local settings in one simple-protocol
  //   message. Local settings override the session's in full, and end with COMMIT or ROLLBACK.
  const session = new WeakMap<pg.PoolClient, Settings>();
  let closed = false;
  /** A pooled connection whose session settings are `want`, switched only if they differ. */
  const connect = async (want: Settings) => {
    const client = await pool.connect();
    try {
      if (!same(session.get(client) ?? OWNER, want)) {
        await client.query(statement(SESSION_SCOPE, [...want]));
        session.set(client, want);
      }
    } catch (err) {
      // Its settings are unknown now: the connection is destroyed rather than handed back.
      client.release(true);
      throw err;
    }
    return client;
  };
  const view = (role: string | null): Db => ({
    kind: 'postgres',
    async query<T>(sql: string, params?: unknown[], scope?: TxScope) {
      const client = await connect(role ? scopeParams(role, scope) : OWNER);
      try {
        const r = await client.query(statement(sql, params));
        return { rows: r.rows as T[], rowCount: r.rowCount ?? 0 } satisfies QueryResult<T>;
      } finally {
        client.release();
      }
    },
    async exec(sql: string) {
      if (role) throw new Error('exec is for migrations, as the owner');
      const client = await connect(OWNER);
      try {
        await client.query(sql);
      } finally {
        client.release();
      }
    },
    async transaction<T>(fn: (tx: Tx) => Promise<T>, scope?: TxScope) {
      const client = await pool.connect();
      try {
        const local: Settings | null = role ? scopeParams(role, scope) : same(session.get(client) ?? OWNER, OWNER) ? null : OWNER;
        await client.query(local ? `BEGIN; ${openScope(client, local)}` : 'BEGIN');
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

const SESSION_SCOPE = scopeStatement(false);

/**
 * OPEN_SCOPE with its values inlined as escaped literals, so that it can share BEGIN's message
 * (the simple protocol takes several statements but no parameters). The values are a configured
 * role, an id the app minted and a reason written in code; escapeLiteral quotes them regardless.
 */
function openScope(client: pg.PoolClient, values: Settings): string {
  return OPEN_SCOPE.replace(/\$([123])/g, (_, i: string) => client.escapeLiteral(values[Number(i) - 1]!));
}
