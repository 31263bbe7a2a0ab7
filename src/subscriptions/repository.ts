import type { Queryable } from '../db/index.js';

export interface SubscriptionSummary {
  id: string;
  plan_id: string;
  status: string;
  interval: string;
  currency: string;
  amount: number;
  current_period_end: Date;
}

export async function listSubscriptions(db: Queryable, tenantId: string): Promise<SubscriptionSummary[]> {
  const { rows } = await db.query<SubscriptionSummary>(
    'SELECT id, plan_id, status, interval, currency, amount, current_period_end FROM subscriptions WHERE tenant_id = $1 ORDER BY created_at',
    [tenantId],
  );
  return rows;
}

/** Whether a gateway charge paid an invoice of ours. */
export async function isRecordedPayment(db: Queryable, gatewayReference: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM payments WHERE gateway_reference = $1', [gatewayReference]);
  return rowCount > 0;
}

export interface SubscriptionRow {
  id: string;
  tenant_id: string;
  customer_id: string;
  enrollment_id: string;
  plan_id: string;
  interval: 'month' | 'year';
  currency: string;
  amount: number;
  status: string;
  current_period_end: Date;
  payment_method_id: string;
  quote_id: string;
  scheduled_change: Record<string, unknown> | null;
}

export async function findSubscription(db: Queryable, id: string): Promise<SubscriptionRow | null> {
  const { rows } = await db.query<SubscriptionRow>(
    `SELECT id, tenant_id, customer_id, enrollment_id, plan_id, interval, currency, amount, status, current_period_end, payment_method_id, quote_id, scheduled_change
       FROM subscriptions WHERE id = $1`,
    [id],
  );
  return rows[0] ?? null;
}

/** Compare-and-set on the current payment method: of two concurrent changes, the second sees a conflict. */
export async function swapPaymentMethod(db: Queryable, id: string, from: string, to: string): Promise<boolean> {
  const { rowCount } = await db.query(`UPDATE subscriptions SET payment_method_id = $3 WHERE id = $1 AND payment_method_id = $2`, [id, from, to]);
  return rowCount === 1;
}

export async function setScheduledChange(db: Queryable, id: string, change: Record<string, unknown>): Promise<void> {
  await db.query(`UPDATE subscriptions SET scheduled_change = $2 WHERE id = $1`, [id, JSON.stringify(change)]);
}
