import type { Queryable } from '../db/index.js';
import { hashAddress } from './repository.js';

/** The emails delivered to an address (template and time, never content), oldest first. */
export async function deliveriesTo(db: Queryable, key: Buffer, to: string) {
  const { rows } = await db.query<{ template: string; sent_at: Date }>(
    `SELECT template, sent_at FROM notifications_sent WHERE to_hash = $1 ORDER BY sent_at, id`,
    [hashAddress(key, to)],
  );
  return rows;
}
