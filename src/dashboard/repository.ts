import { deferWrite, type Queryable, type Tx } from '../db/index.js';

/** Inside a transaction the INSERT is deferred (nobody reads its result): it goes with the next statement or COMMIT. */
export async function insertLink(tx: Queryable, l: { id: string; tokenHash: string; customerId: string; tenantId: string; expiresAt: Date; now: Date }) {
  await deferWrite(
    tx,
    `INSERT INTO dashboard_links (id, token_hash, customer_id, tenant_id, expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
    [l.id, l.tokenHash, l.customerId, l.tenantId, l.expiresAt, l.now],
  );
}

/** Single use: the UPDATE both checks and spends the link, so two clicks cannot both sign in. */
export async function spendLink(tx: Tx, tokenHash: string, now: Date) {
  const { rows } = await tx.query<{ customer_id: string; tenant_id: string }>(
    `UPDATE dashboard_links SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING customer_id, tenant_id`,
    [tokenHash, now],
  );
  return rows[0] ?? null;
}

export interface CardSummaryRow { brand: string; last4: string; exp_month: number; exp_year: number }

/** The card a subscription bills: the one given at enrollment, or the newest the owner changed it to (audited). */
export async function cardOfSubscription(db: Queryable, sub: { id: string; enrollment_id: string; payment_method_id: string }): Promise<CardSummaryRow | null> {
  const { rows } = await db.query<{ card: CardSummaryRow | null }>(
    `SELECT COALESCE(
       (SELECT jsonb_build_object('brand', data->>'brand', 'last4', data->>'last4', 'exp_month', NULL, 'exp_year', NULL) FROM audit_events
         WHERE subject_type = 'subscription' AND subject_id = $1 AND action = 'subscription.payment_method_changed' AND data->>'to' = $3
         ORDER BY occurred_at DESC LIMIT 1),
       (SELECT payment_method - 'fingerprint' - 'id' - 'country' FROM enrollments WHERE id = $2 AND payment_method->>'id' = $3)
     ) AS card`,
    [sub.id, sub.enrollment_id, sub.payment_method_id],
  );
  return rows[0]?.card ?? null;
}

export interface PasskeySummaryRow { id: string; created_at: Date; last_used_at: Date | null; backed_up: boolean }

/** The passkeys that sign this customer in: those registered on the enrollment that created them. */
export async function passkeysOfCustomer(db: Queryable, customerId: string): Promise<PasskeySummaryRow[]> {
  const { rows } = await db.query<PasskeySummaryRow>(
    `SELECT p.id, p.created_at, p.last_used_at, p.backed_up FROM passkey_credentials p JOIN customers c ON c.enrollment_id = p.enrollment_id
      WHERE c.id = $1 ORDER BY p.created_at`,
    [customerId],
  );
  return rows;
}

export interface MySubscriptionRow { id: string; enrollment_id: string; plan_id: string; status: string; interval: string; currency: string; amount: number; current_period_end: Date; trial_end: Date | null; payment_method_id: string }

export async function subscriptionsOfTenant(db: Queryable, tenantId: string): Promise<MySubscriptionRow[]> {
  const { rows } = await db.query<MySubscriptionRow>(
    `SELECT id, enrollment_id, plan_id, status, interval, currency, amount, current_period_end, trial_end, payment_method_id
       FROM subscriptions WHERE tenant_id = $1 ORDER BY created_at`,
    [tenantId],
  );
  return rows;
}

/** Sign-in link emails asked for a customer since `since` (the outbox keeps them): the hourly allowance. */
export async function countSignInLinkJobs(db: Queryable, customerId: string, since: Date): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM outbox_jobs WHERE type = 'send-sign-in-link' AND payload->>'customer_id' = $1 AND created_at > $2`,
    [customerId, since],
  );
  return rows[0]!.n;
}

/** The workspace a customer owns (one per enrollment): where a sign-in link lands. */
export async function findOwnedTenant(db: Queryable, customerId: string): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>(`SELECT id FROM tenants WHERE owner_customer_id = $1 ORDER BY created_at LIMIT 1`, [customerId]);
  return rows[0]?.id ?? null;
}
