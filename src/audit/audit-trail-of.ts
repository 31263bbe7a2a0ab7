import type { Queryable } from '../db/index.js';

/** A tenant's audit trail (actions and times, no payloads), oldest first, at most `limit` rows. */
export async function auditTrailOf(db: Queryable, tenantId: string, limit = 100) {
  const { rows } = await db.query<{ action: string; actor_type: string; occurred_at: Date }>(
    `SELECT action, actor_type, occurred_at FROM audit_events WHERE tenant_id = $1 ORDER BY occurred_at, id LIMIT $2`,
    [tenantId, limit],
  );
  return rows;
}
