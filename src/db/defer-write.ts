import type { Queryable, Tx } from './types.js';

/**
 * A write whose result nobody reads. Inside a transaction it is deferred: it travels with the transaction's next
 * statement or its COMMIT instead of costing a round trip of its own, and a failure still aborts the transaction
 * (see Tx.defer). Outside one it runs at once, as its own transaction.
 */
export async function deferWrite(db: Queryable, sql: string, params?: unknown[]): Promise<void> {
  if (isTx(db)) db.defer(sql, params);
  else await db.query(sql, params);
}

/** Whether `db` is a transaction (the branded Tx) rather than a pool or a scoped view. */
export function isTx(db: Queryable): db is Tx {
  return (db as Partial<Tx>).__tx === true;
}

/**
 * The transaction's last statement (Tx.last, sent with its COMMIT) as a Queryable, for a repository function that
 * takes one; it must issue exactly one statement.
 */
export function lastStatement(tx: Tx): Queryable {
  return {
    query: (sql, params) => tx.last(sql, params),
    exec: () => Promise.reject(new Error('exec cannot be a last statement')),
  };
}
