import type { Queryable } from '../db/index.js';

/** Store an event once; false when this id was stored before (a redelivery). */
export async function insertGatewayEvent(db: Queryable, e: { id: string; gateway: string; type: string; createdAt: Date; payload: unknown; now: Date }): Promise<boolean> {
  const { rows } = await db.query(
    `INSERT INTO gateway_events (id, gateway, type, created_at, payload, received_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING RETURNING id`,
    [e.id, e.gateway, e.type, e.createdAt, JSON.stringify(e.payload), e.now],
  );
  return rows.length === 1;
}

export async function findGatewayEvent(db: Queryable, id: string) {
  const { rows } = await db.query<{ id: string; type: string; created_at: Date; payload: { id: string; [k: string]: unknown }; processed_at: Date | null }>(
    `SELECT id, type, created_at, payload, processed_at FROM gateway_events WHERE id = $1`,
    [id],
  );
  return rows[0] ?? null;
}

export async function markProcessed(db: Queryable, id: string, now: Date) {
  await db.query(`UPDATE gateway_events SET processed_at = $2 WHERE id = $1`, [id, now]);
}

export async function findDisputeState(db: Queryable, id: string): Promise<{ status: string; status_event_at: Date } | null> {
  const { rows } = await db.query<{ status: string; status_event_at: Date }>(`SELECT status, status_event_at FROM disputes WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

const RANK = `CASE $STATUS WHEN 'warning_needs_response' THEN 0 WHEN 'needs_response' THEN 1 WHEN 'warning_under_review' THEN 2
  WHEN 'under_review' THEN 2 WHEN 'warning_closed' THEN 3 WHEN 'won' THEN 3 WHEN 'lost' THEN 3 ELSE 0 END`;

/**
 * Create or move a dispute forward. Monotonic: a status ranked lower than the
 * stored one never overwrites it (a late `created` after `closed`), and within
 * a rank the newer event wins.
 */
export async function upsertDispute(
  db: Queryable,
  d: { id: string; gateway: string; chargeId: string; status: string; amount: number; currency: string; reason: string | null; eventAt: Date; now: Date },
): Promise<{ status: string }> {
  const { rows } = await db.query<{ status: string }>(
    `INSERT INTO disputes (id, gateway, charge_id, status, amount, currency, reason, status_event_at, opened_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
     ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, status_event_at = EXCLUDED.status_event_at, updated_at = EXCLUDED.updated_at
       WHERE ${RANK.replace('$STATUS', 'EXCLUDED.status')} > ${RANK.replace('$STATUS', 'disputes.status')}
          OR (${RANK.replace('$STATUS', 'EXCLUDED.status')} = ${RANK.replace('$STATUS', 'disputes.status')} AND EXCLUDED.status_event_at > disputes.status_event_at)
     RETURNING status`,
    [d.id, d.gateway, d.chargeId, d.status, d.amount, d.currency.toUpperCase(), d.reason, d.eventAt, d.now],
  );
  if (rows[0]) return rows[0];
  const cur = await db.query<{ status: string }>(`SELECT status FROM disputes WHERE id = $1`, [d.id]);
  return cur.rows[0]!;
}
