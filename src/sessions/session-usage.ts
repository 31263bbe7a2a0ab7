import type { Queryable } from '../db/index.js';

/** How much a customer used the service: sessions opened, and the first and last of them. */
export async function sessionUsageOf(db: Queryable, customerId: string) {
  const { rows } = await db.query<{ sessions: number; first_at: Date | null; last_at: Date | null }>(
    `SELECT count(*)::int AS sessions, min(created_at) AS first_at, max(created_at) AS last_at FROM sessions WHERE customer_id = $1`,
    [customerId],
  );
  return rows[0]!;
}
