import type { Queryable } from '../db/index.js';

export interface SubjectKeyRow {
  subject_id: string;
  key_version: number;
  wrapped_key: string;
}

export async function findSubjectKey(db: Queryable, subjectId: string): Promise<SubjectKeyRow | null> {
  const { rows } = await db.query<SubjectKeyRow>('SELECT subject_id, key_version, wrapped_key FROM subject_keys WHERE subject_id = $1', [subjectId]);
  return rows[0] ?? null;
}

/** First writer wins: a concurrent creator gets the stored key back, so a subject never has two. */
export async function insertSubjectKey(db: Queryable, k: SubjectKeyRow & { now: Date }): Promise<SubjectKeyRow> {
  const { rows } = await db.query<SubjectKeyRow>(
    `WITH ins AS (INSERT INTO subject_keys (subject_id, key_version, wrapped_key, created_at) VALUES ($1, $2, $3, $4)
                  ON CONFLICT (subject_id) DO NOTHING RETURNING subject_id, key_version, wrapped_key)
     SELECT * FROM ins UNION ALL SELECT subject_id, key_version, wrapped_key FROM subject_keys WHERE subject_id = $1 LIMIT 1`,
    [k.subject_id, k.key_version, k.wrapped_key, k.now],
  );
  // A concurrent creator that committed after this statement's snapshot: neither branch saw a row; read again.
  return rows[0] ?? (await findSubjectKey(db, k.subject_id))!;
}

export async function listKeysBelowVersion(db: Queryable, version: number, limit: number): Promise<SubjectKeyRow[]> {
  const { rows } = await db.query<SubjectKeyRow>(
    'SELECT subject_id, key_version, wrapped_key FROM subject_keys WHERE key_version < $1 ORDER BY subject_id LIMIT $2',
    [version, limit],
  );
  return rows;
}

/** Compare-and-set on the version read, so a concurrent rewrap or shred is never overwritten. */
export async function replaceWrappedKey(db: Queryable, k: { subjectId: string; fromVersion: number; toVersion: number; wrapped: string; now: Date }): Promise<boolean> {
  const { rowCount } = await db.query(
    'UPDATE subject_keys SET key_version = $3, wrapped_key = $4, rewrapped_at = $5 WHERE subject_id = $1 AND key_version = $2',
    [k.subjectId, k.fromVersion, k.toVersion, k.wrapped, k.now],
  );
  return rowCount === 1;
}

export async function deleteSubjectKeys(db: Queryable, subjectIds: string[]): Promise<number> {
  if (subjectIds.length === 0) return 0;
  const { rowCount } = await db.query('DELETE FROM subject_keys WHERE subject_id = ANY($1::text[])', [subjectIds]);
  return rowCount;
}
