import type { Queryable } from '../db/index.js';

/** The consent records of an enrollment, oldest first: evidence of what the customer agreed to, and when. */
export async function consentsOf(db: Queryable, enrollmentId: string) {
  const { rows } = await db.query<{ purpose: string; granted: boolean; policy_version: string; channel: string; recorded_at: Date }>(
    `SELECT purpose, granted, policy_version, channel, recorded_at FROM consent_records WHERE enrollment_id = $1 ORDER BY recorded_at, id`,
    [enrollmentId],
  );
  return rows;
}
