import type { Db } from '../../src/db/index.js';
import { interceptDb } from './intercept-db.js';

/** Records the SQL text of every statement (and each BEGIN) while `recording` is on. */
export function createRecordingDb(inner: Db) {
  const state = { recording: false, statements: [] as string[] };
  const note = (sql: string) => {
    if (state.recording) state.statements.push(sql.replace(/\s+/g, ' ').trim());
  };
  const db = interceptDb(inner, { txStart: () => note('BEGIN'), statement: note });
  return { db, state };
}
