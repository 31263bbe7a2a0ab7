import type { Queryable } from '../db/index.js';

// The export is a read-only report across modules. Personal fields are read through their modules' functions
// (getCustomer, loadEnrollment: where the PII vault decrypts); the rows read here carry ids, amounts, states
// and times only.

type Row = Record<string, unknown>;

/** Dates as ISO strings, so the document is plain JSON. */
function plain(rows: Row[]): Row[] {
  return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v])));
}

export async function tenantIdsOf(db: Queryable, customerId: string): Promise<string[]> {
  const { rows } = await db.query<{ tenant_id: string }>('SELECT tenant_id FROM memberships WHERE customer_id = $1 ORDER BY created_at, tenant_id', [customerId]);
  return rows.map((r) => r.tenant_id);
}

export async function subscriptionsOf(db: Queryable, customerId: string): Promise<Row[]> {
  const { rows } = await db.query(
    `SELECT id, tenant_id, plan_id, interval, currency, amount, status, trial_end, current_period_start, current_period_end, created_at
       FROM subscriptions WHERE customer_id = $1 ORDER BY created_at, id`,
    [customerId],
  );
  return plain(rows);
}

export async function invoicesOf(db: Queryable, subscriptionIds: string[]): Promise<Row[]> {
  const { rows } = await db.query(
    `SELECT id, subscription_id, number, currency, subtotal, total, amount_paid, status, lines, period_start, period_end, created_at
       FROM invoices WHERE subscription_id = ANY($1::text[]) ORDER BY created_at, id`,
    [subscriptionIds],
  );
  return plain(rows);
}

/** Events whose subject is one of the ids (customer, enrollment, tenants, subscriptions), or that the customer did. */
export async function auditEventsAbout(db: Queryable, subjectIds: string[], customerId: string): Promise<Row[]> {
  const { rows } = await db.query(
    `SELECT id, occurred_at, action, actor_type, actor_id, channel, request_id, subject_type, subject_id, tenant_id, data
       FROM audit_events WHERE subject_id = ANY($1::text[]) OR actor_id = $2 ORDER BY occurred_at, id`,
    [subjectIds, customerId],
  );
  return plain(rows);
}

/** Deliveries to the subject: by the delivery audit of their records, or by the keyed hash of their addresses. */
export async function messagesSentTo(db: Queryable, subjectIds: string[], addressHashes: string[]): Promise<Row[]> {
  const { rows } = await db.query(
    `SELECT id, channel, template, provider_message_id, sent_at FROM notifications_sent
      WHERE to_hash = ANY($2::text[])
         OR job_id IN (SELECT data->>'job_id' FROM audit_events WHERE subject_id = ANY($1::text[]) AND action LIKE 'notification.%\\_sent')
      ORDER BY sent_at, id`,
    [subjectIds, addressHashes],
  );
  return plain(rows);
}
