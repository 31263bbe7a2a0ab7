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
