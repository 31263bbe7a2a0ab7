import { createHash } from 'node:crypto';
import pg from 'pg';
import { OPEN_SCOPE, scopeParams } from '../scope.js';
import type { Db, QueryResult, Tx, TxScope } from '../types.js';
import { statementAfterLast, transactionAborted } from '../transaction-aborted.js';

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
  // Pipeline mode: a query is written as soon as it is issued, without waiting for the answer to the one before.
  const pool = new pg.Pool({ connectionString, max: opts.max ?? 10, types, pipeline: true });
  // Every round trip to PostgreSQL costs both processes a wake-up, which on these small machines is
  // most of a simple statement's cost; the adapter spends as few as the scoping allows:
  // - an unscoped plain query runs outside any transaction as its view's role, a *session* setting
  //   switched (one statement) only when the view asking differs from the connection's last one;
  //   tenant and system scope are never set at session level, so such a query sees no tenant's rows;
  // - a transaction opens with BEGIN and the transaction-local role, tenant and system scope in
  //   one simple-protocol message, written together with the transaction's first statement, and
  //   ends with COMMIT or ROLLBACK, so no pooled connection hands a tenant to its next user;
  // - a scoped one-statement transaction (a worker job's read, through scopedDb) is BEGIN and scope,
  //   the statement and COMMIT in one write: one round trip instead of three.
  // Safety does not rest on the order of answers: if the scope fails, BEGIN has already opened the
  // transaction, which is then aborted, so PostgreSQL refuses the statements written behind it
  // ("current transaction is aborted") instead of running them unscoped.
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
  /** What opens a transaction of `role` (null: the owner) on this connection. */
  const beginOn = (client: pg.PoolClient, role: string | null, scope?: TxScope) =>
    role
      ? `BEGIN; ${openScope(client, scopeParams(role, scope))}`
      : (sessionRole.get(client) ?? 'none') !== 'none' ? `BEGIN; SELECT set_config('role', 'none', true)` : 'BEGIN';
  let closed = false;
  const view = (role: string | null): Db => {
    const self: Db = {
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
        let opened = false; // BEGIN sent: from here on the connection may be inside a transaction
        let deferred: pg.QueryConfig[] = [];
        let lastSent: Promise<pg.QueryResult[]> | undefined; // last()'s statement and COMMIT, once sent: the transaction has ended
        try {
          // BEGIN waits for the first statement and travels with it, as deferred statements travel with the next
          // one (or with COMMIT); a transaction that sends none costs nothing.
          const begin = beginOn(client, role, scope);
          const notEnded = () => {
            if (lastSent) throw statementAfterLast();
          };
          /** `qs` written together with what waits to go before them; resolves with their results. */
          const send = async (...qs: (string | pg.QueryConfig)[]) => {
            notEnded();
            const batch = [...(opened ? [] : [begin]), ...deferred, ...qs];
            opened = true;
            deferred = [];
            corkForThisTick(client);
            if (batch.length === 1) return [await client.query(batch[0]!)];
            return (await together(client, batch)).slice(-qs.length);
          };
          const tx: Tx = {
            __tx: true,
            async query<R>(sql: string, params?: unknown[]) {
              const [r] = await send(statement(sql, params));
              return { rows: r!.rows as R[], rowCount: r!.rowCount ?? 0 };
            },
            async exec(sql: string) {
              await send(sql);
            },
            defer(sql: string, params?: unknown[]) {
              notEnded();
              deferred.push(statement(sql, params));
            },
            async last<R>(sql: string, params?: unknown[]) {
              lastSent = send(statement(sql, params), 'COMMIT');
              const [r, commitAnswer] = await lastSent;
              assertCommitted(commitAnswer!);
              return { rows: r!.rows as R[], rowCount: r!.rowCount ?? 0 };
            },
          };
          const out = await fn(tx);
          if (lastSent) {
            // The caller may have caught last()'s failure (or never awaited it): then PostgreSQL rolled the
            // transaction back, and success must not be reported for it (as PGlite, and a plain COMMIT, refuse to).
            const answers = await lastSent.catch(() => null);
            if (!answers) throw transactionAborted();
            assertCommitted(answers[answers.length - 1]!);
          } else if (opened || deferred.length > 0) assertCommitted((await send('COMMIT'))[0]!);
          return out;
        } catch (err) {
          // After last(), COMMIT was sent: the transaction either committed or was rolled back by PostgreSQL itself.
          // Its answer is awaited before the connection goes back (the function may have thrown before it came).
          if (lastSent) await lastSent.catch(() => undefined);
          else if (opened) await client.query('ROLLBACK').catch(() => undefined);
          throw err;
        } finally {
          release(client);
        }
      },
      async queryInScope<T>(sql: string, params: unknown[] | undefined, scope: TxScope) {
        if (!role) return self.transaction((tx) => tx.query<T>(sql, params), scope);
        const client = await pool.connect();
        try {
          const [, r] = await together(client, [beginOn(client, role, scope), statement(sql, params), 'COMMIT']);
          return { rows: r!.rows as T[], rowCount: r!.rowCount ?? 0 };
        } catch (err) {
          // A failed statement has already turned COMMIT into a rollback; this is for a connection a
          // failure left inside the transaction (a refused COMMIT leaves none, and then it only warns).
          await client.query('ROLLBACK').catch(() => undefined);
          throw err;
        } finally {
          release(client);
        }
      },
      asRole: (r: string) => view(r),
      async close() {
        if (closed) return;
        closed = true;
        await pool.end();
      },
    };
    return self;
  };
  return view(null);
}

/**
 * COMMIT's answer, refusing to report success for a transaction PostgreSQL rolled back instead: a statement failed and the
 * caller caught its error, so the transaction was aborted and COMMIT answers with a ROLLBACK tag, not an error.
 */
function assertCommitted(answer: pg.QueryResult): void {
  if (answer.command === 'ROLLBACK') throw transactionAborted();
}

/** Back to the pool, unless something left it inside a transaction: then it is destroyed, never handed on. */
function release(client: pg.PoolClient): void {
  const status = (client as unknown as { getTransactionStatus(): string | null }).getTransactionStatus();
  client.release(status === 'I' ? undefined : new Error(`connection left in transaction state ${status}`));
}

/**
 * Queries written to the socket in one write (pipeline mode sends each as it is issued; the cork
 * gathers them), so PostgreSQL wakes once for all of them. Resolves with every result in order
 * once all have answered, or throws the first failure: a later one is usually its consequence.
 */
async function together(client: pg.PoolClient, queries: (string | pg.QueryConfig)[]): Promise<pg.QueryResult[]> {
  const stream = socketOf(client);
  stream.cork();
  let pending: Promise<pg.QueryResult>[];
  try {
    pending = queries.map((q) => client.query(q));
  } finally {
    stream.uncork();
  }
  const settled = await Promise.allSettled(pending);
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<pg.QueryResult>).value);
}

/**
 * A transaction's statements issued in the same tick (`Promise.all` of independent reads) share one write: the
 * socket is corked at the first and uncorked once the tick's synchronous code has run.
 */
function corkForThisTick(client: pg.PoolClient): void {
  if (corked.has(client)) return;
  const stream = socketOf(client);
  stream.cork();
  corked.add(client);
  process.nextTick(() => {
    corked.delete(client);
    stream.uncork();
  });
}
const corked = new WeakSet<pg.PoolClient>();

/** The connection's socket: pg does not expose it, and corking it is how statements share a write. */
function socketOf(client: pg.PoolClient): { cork(): void; uncork(): void } {
  return (client as unknown as { connection: { stream: { cork(): void; uncork(): void } } }).connection.stream;
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
