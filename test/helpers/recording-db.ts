import type { Db, Tx } from '../../src/db/index.js';

/** Wraps a Db and records the SQL text of every statement while `recording` is on. */
export function createRecordingDb(inner: Db) {
  const state = { recording: false, statements: [] as string[] };
  const note = (sql: string) => {
    if (state.recording) state.statements.push(sql.replace(/\s+/g, ' ').trim());
  };
  const db: Db = {
    kind: inner.kind,
    query: (sql, params) => (note(sql), inner.query(sql, params)),
    exec: (sql) => (note(sql), inner.exec(sql)),
    close: () => inner.close(),
    transaction: (fn) =>
      inner.transaction((tx) => {
        note('BEGIN');
        const wrapped: Tx = { __tx: true, exec: (sql) => (note(sql), tx.exec(sql)), query: (sql, params) => (note(sql), tx.query(sql, params)) };
        return fn(wrapped);
      }),
  };
  return { db, state };
}
