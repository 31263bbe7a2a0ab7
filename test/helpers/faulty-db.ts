import type { Db, Tx } from '../../src/db/index.js';

/**
 * Wraps a Db so a test can "crash" a transaction at its Nth statement after a
 * trigger statement is seen (e.g. the completion's row lock). Everything else
 * passes through untouched.
 */
export function createFaultyDb(inner: Db) {
  const fault = { armed: false, trigger: /FOR UPDATE/, failAt: 0, fired: false, /** statements after the trigger in the last such transaction */ counted: 0 };
  const db: Db = {
    kind: inner.kind,
    query: (sql, params) => inner.query(sql, params),
    exec: (sql) => inner.exec(sql),
    close: () => inner.close(),
    transaction: (fn) =>
      inner.transaction((tx) => {
        let counting = false;
        let n = 0;
        const wrapped: Tx = {
          __tx: true,
          exec: (sql) => tx.exec(sql),
          async query(sql, params) {
            if (!counting && fault.trigger.test(sql)) counting = true;
            if (counting && ++n === fault.failAt && fault.armed) {
              fault.fired = true;
              throw new Error(`injected crash at statement ${n}`);
            }
            return tx.query(sql, params);
          },
        };
        return fn(wrapped).finally(() => {
          if (counting) fault.counted = n;
        });
      }),
  };
  return { db, fault };
}
