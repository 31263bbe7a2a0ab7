import type { Queryable } from '../db/index.js';

export async function findExternalRef(db: Queryable, partnerId: string, externalRef: string) {
  const { rows } = await db.query<{ enrollment_id: string; request_hash: string }>(
    'SELECT enrollment_id, request_hash FROM channel_refs WHERE partner_id = $1 AND external_ref = $2',
    [partnerId, externalRef],
  );
  return rows[0] ?? null;
}

/** false when another request claimed the reference first (the unique key decides). */
export async function insertExternalRef(db: Queryable, r: { partnerId: string; externalRef: string; enrollmentId: string; requestHash: string }): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO channel_refs (partner_id, external_ref, enrollment_id, request_hash) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
    [r.partnerId, r.externalRef, r.enrollmentId, r.requestHash],
  );
  return rowCount === 1;
}
