import type { Db, Tx } from '../../src/db/index.js';

/**
 * Wraps a Db so a test sees every statement before it runs, and may throw
 * instead. `txStart` is called when a transaction opens; what it returns is
 * handed back with each statement of that transaction (undefined outside one).
 */
export function interceptDb<T>(
  inner: Db,
  hooks: { txStart?: () => T; txEnd?: (state: T) => void; statement: (sql: string, state: T | undefined) => void },
): Db {
  const db: Db = {
    kind: inner.kind,
    query: (sql, params) => (hooks.statement(sql, undefined), inner.query(sql, params)),
    exec: (sql) => (hooks.statement(sql, undefined), inner.exec(sql)),
    close: () => inner.close(),
    asRole: (role) => interceptDb(inner.asRole(role), hooks),
    transaction: (fn, scope) =>
      inner.transaction((tx) => {
        const state = hooks.txStart?.() as T;
        const wrapped: Tx = {
          __tx: true,
          exec: async (sql) => (hooks.statement(sql, state), tx.exec(sql)),
          query: async (sql, params) => (hooks.statement(sql, state), tx.query(sql, params)),
          defer: (sql, params) => (hooks.statement(sql, state), tx.defer(sql, params)),
          last: async (sql, params) => (hooks.statement(sql, state), tx.last(sql, params)),
        };
        return fn(wrapped).finally(() => hooks.txEnd?.(state));
      }, scope),
    // Through this wrapper's own transaction, so the hooks see a scoped query as the one-statement transaction it is.
    queryInScope: (sql, params, scope) => db.transaction((tx) => tx.query(sql, params), scope),
  };
  return db;
}
