import type { Queryable, Tx } from '../db/index.js';
import type { Regime } from './deadline.js';

export interface ErasureRequest {
  id: string;
  customer_id: string;
  regime: Regime;
  status: 'pending' | 'completed';
  requested_by: 'admin' | 'customer';
  requested_at: Date;
  due_at: Date;
  completed_at: Date | null;
}

/** The customer row, locked, unless already erased: a second request waits for the first. */
export async function lockLiveCustomer(tx: Tx, id: string): Promise<{ id: string; country: string; enrollment_id: string } | null> {
  const { rows } = await tx.query<{ id: string; country: string; enrollment_id: string }>(
    'SELECT id, country, enrollment_id FROM customers WHERE id = $1 AND erased_at IS NULL FOR UPDATE',
    [id],
  );
  return rows[0] ?? null;
}

export async function findOpenRequest(db: Queryable, customerId: string): Promise<ErasureRequest | null> {
  const { rows } = await db.query<ErasureRequest>(`SELECT * FROM erasure_requests WHERE customer_id = $1 AND status = 'pending'`, [customerId]);
  return rows[0] ?? null;
}

export async function insertRequest(tx: Tx, r: Omit<ErasureRequest, 'status' | 'completed_at'> & { requestId?: string }): Promise<ErasureRequest> {
  const { rows } = await tx.query<ErasureRequest>(
    `INSERT INTO erasure_requests (id, customer_id, regime, status, requested_by, request_id, requested_at, due_at)
     VALUES ($1, $2, $3, 'pending', $4, $5, $6, $7) RETURNING *`,
    [r.id, r.customer_id, r.regime, r.requested_by, r.requestId ?? null, r.requested_at, r.due_at],
  );
  return rows[0]!;
}

export async function findRequest(db: Queryable, id: string): Promise<ErasureRequest | null> {
  const { rows } = await db.query<ErasureRequest>('SELECT * FROM erasure_requests WHERE id = $1', [id]);
  return rows[0] ?? null;
}

/**
 * Every subject whose key holds this customer's data: the enrollment that created them, and any other
 * enrollment made with the same address (an abandoned first try, a later attempt refused as taken).
 */
export async function subjectsOf(db: Queryable, customerId: string): Promise<{ subjects: string[]; paymentMethods: string[]; gatewayCustomers: string[] }> {
  const { rows } = await db.query<{ id: string; pm: string | null }>(
    `SELECT e.id, e.payment_method->>'id' AS pm FROM enrollments e, customers c
      WHERE c.id = $1 AND (e.id = c.enrollment_id OR (c.email_hash IS NOT NULL AND e.email_hash = c.email_hash))
     UNION
     SELECT NULL, s.payment_method_id FROM subscriptions s WHERE s.customer_id = $1`,
    [customerId],
  );
  const subjects = [...new Set(rows.map((r) => r.id).filter((x): x is string => x !== null))];
  const paymentMethods = [...new Set(rows.map((r) => r.pm).filter((x): x is string => x !== null))];
  // The gateway customers made for this person: per tenant once completed, per enrollment before.
  const { rows: gc } = await db.query<{ id: string }>(
    `SELECT gateway_customer_id AS id FROM payment_customers WHERE customer_id = $1
     UNION
     SELECT e.payment_method->>'gateway_customer_id' FROM enrollments e
      WHERE e.id = ANY($2::text[]) AND e.payment_method->>'gateway_customer_id' IS NOT NULL`,
    [customerId, subjects],
  );
  return { subjects, paymentMethods, gatewayCustomers: gc.map((r) => r.id) };
}

/**
 * The provider ids of the texts sent to this person: to one of their numbers (by keyed hash), or by a job of one
 * of their enrollments (its `notification.sms_sent` audit row), which also finds a number the profile no longer holds.
 */
export async function smsMessagesSentTo(db: Queryable, phoneHashes: string[], subjects: string[]): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT DISTINCT provider_message_id AS id FROM notifications_sent
      WHERE channel = 'sms' AND provider_message_id IS NOT NULL
        AND (to_hash = ANY($1::text[])
             OR job_id IN (SELECT data->>'job_id' FROM audit_events
                            WHERE subject_type = 'enrollment' AND subject_id = ANY($2::text[]) AND action = 'notification.sms_sent'))
      ORDER BY 1`,
    [phoneHashes, subjects],
  );
  return rows.map((r) => r.id);
}

/**
 * What is left once the keys are gone: sealed columns and keyed hashes emptied (the address may enrol again),
 * credentials deleted, subscriptions ended. Invoices, payments and audit rows stay: they hold no personal data.
 */
export async function clearPersonalRows(tx: Tx, customerId: string, subjects: string[], now: Date): Promise<Record<string, number>> {
  const q = async (sql: string, params: unknown[]) => (await tx.query(sql, params)).rowCount;
  return {
    customers: await q('UPDATE customers SET pii_sealed = NULL, email_hash = NULL, erased_at = $2 WHERE id = $1', [customerId, now]),
    enrollments: await q('UPDATE enrollments SET profile_sealed = NULL, email_hash = NULL WHERE id = ANY($1::text[])', [subjects]),
    password_credentials: await q('DELETE FROM password_credentials WHERE enrollment_id = ANY($1::text[])', [subjects]),
    passkey_credentials: await q('DELETE FROM passkey_credentials WHERE enrollment_id = ANY($1::text[])', [subjects]),
    totp_factors: await q('DELETE FROM totp_factors WHERE enrollment_id = ANY($1::text[])', [subjects]),
    subscriptions_canceled: await q(`UPDATE subscriptions SET status = 'canceled' WHERE customer_id = $1 AND status <> 'canceled'`, [customerId]),
  };
}

export async function completeRequest(tx: Tx, id: string, now: Date, result: Record<string, unknown>): Promise<void> {
  await tx.query(`UPDATE erasure_requests SET status = 'completed', completed_at = $2, result = $3 WHERE id = $1 AND status = 'pending'`, [id, now, JSON.stringify(result)]);
}
