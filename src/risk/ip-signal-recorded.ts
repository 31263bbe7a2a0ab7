import type { Queryable } from '../db/index.js';

/** Whether the enrollment's client IP was recorded (as a keyed hash) by the risk check: evidence the customer was there. */
export async function ipSignalRecorded(db: Queryable, enrollmentId: string): Promise<boolean> {
  const { rows } = await db.query(`SELECT 1 FROM risk_signals WHERE enrollment_id = $1 AND kind = 'ip' LIMIT 1`, [enrollmentId]);
  return rows.length > 0;
}
