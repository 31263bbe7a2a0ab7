import type { Queryable } from '../db/index.js';

/** The subscription a gateway charge paid for, with the payment: what a dispute of that charge is about. */
export async function findChargedSubscription(db: Queryable, chargeId: string) {
  const { rows } = await db.query<{
    subscription_id: string; tenant_id: string; customer_id: string; enrollment_id: string; plan_id: string; status: string; created_at: Date;
    payment_amount: number; payment_currency: string; paid_at: Date; period_start: Date | null; period_end: Date | null;
  }>(
    `SELECT s.id AS subscription_id, s.tenant_id, s.customer_id, s.enrollment_id, s.plan_id, s.status, s.created_at,
            p.amount AS payment_amount, p.currency AS payment_currency, p.created_at AS paid_at, i.period_start, i.period_end
       FROM payments p JOIN invoices i ON i.id = p.invoice_id JOIN subscriptions s ON s.id = i.subscription_id
      WHERE p.gateway_reference = $1 AND p.kind = 'charge' LIMIT 1`,
    [chargeId],
  );
  return rows[0] ? { ...rows[0], payment_amount: Number(rows[0].payment_amount) } : null;
}
