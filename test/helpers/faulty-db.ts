import type { Db } from '../../src/db/index.js';
import { interceptDb } from './intercept-db.js';

/**
 * Wraps a Db so a test can "crash" a transaction at its Nth statement after a
 * trigger statement is seen (e.g. the completion's row lock). Everything else
 * passes through untouched.
 */
export function createFaultyDb(inner: Db) {
  const fault = { armed: false, trigger: /FOR UPDATE/, failAt: 0, fired: false, /** statements after the trigger in the last such transaction */ counted: 0 };
  const db = interceptDb(inner, {
    txStart: () => ({ counting: false, n: 0 }),
    txEnd: (tx) => {
      if (tx.counting) fault.counted = tx.n;
    },
    statement: (sql, tx) => {
      if (!tx) return;
      if (!tx.counting && fault.trigger.test(sql)) tx.counting = true;
      if (tx.counting && ++tx.n === fault.failAt && fault.armed) {
        fault.fired = true;
        throw new Error(`injected crash at statement ${tx.n}`);
      }
    },
  });
  return { db, fault };
}
