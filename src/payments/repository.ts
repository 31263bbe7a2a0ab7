import { deferWrite, type Queryable } from '../db/index.js';

/** Enroll's side of the customer mapping (migration 070). Every function takes `db` explicitly; it may be a transaction. */
export async function findGatewayCustomer(db: Queryable, gateway: string, tenantId: string, customerId: string): Promise<string | null> {
  const { rows } = await db.query<{ gateway_customer_id: string }>(
    `SELECT gateway_customer_id FROM payment_customers WHERE gateway = $1 AND tenant_id = $2 AND customer_id = $3`,
    [gateway, tenantId, customerId],
  );
  return rows[0]?.gateway_customer_id ?? null;
}

type GatewayCustomerLink = { gateway: string; tenantId: string; customerId: string; gatewayCustomerId: string; now: Date };

/** First writer wins; every racer reads the winner back, so one Enroll customer has exactly one gateway customer. */
export async function linkGatewayCustomer(db: Queryable, i: GatewayCustomerLink): Promise<string> {
  await recordGatewayCustomer(db, i);
  return (await findGatewayCustomer(db, i.gateway, i.tenantId, i.customerId))!;
}

/** The link alone, for a caller that cannot lose the race (completion, whose tenant its own transaction creates). */
export async function recordGatewayCustomer(db: Queryable, i: GatewayCustomerLink): Promise<void> {
  await deferWrite(
    db,
    `INSERT INTO payment_customers (gateway, tenant_id, customer_id, gateway_customer_id, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
    [i.gateway, i.tenantId, i.customerId, i.gatewayCustomerId, i.now],
  );
}

/**
 * A refund the gateway reports (webhook or reconciliation), as its cumulative refunded amount; 'all' when it says
 * "fully refunded" without the amount. Monotonic: the recorded amount only grows, and only a full refund makes a
 * succeeded payment `refunded` (a partial one leaves it succeeded: money was kept). Returns the payment's refunded
 * amount before and after, or null when no payment has this charge.
 */
export async function recordGatewayRefund(db: Queryable, chargeId: string, amountRefunded: number | 'all'): Promise<{ before: number; after: number; status: string } | null> {
  const { rows } = await db.query<{ before: string | number; after: string | number; status: string }>(
    `WITH old AS (SELECT id, amount_refunded FROM payments WHERE gateway_reference = $1 FOR UPDATE)
     UPDATE payments p SET amount_refunded = GREATEST(p.amount_refunded, COALESCE($2::bigint, p.amount)),
       status = CASE WHEN p.status = 'succeeded' AND GREATEST(p.amount_refunded, COALESCE($2::bigint, p.amount)) >= p.amount THEN 'refunded' ELSE p.status END
       FROM old WHERE p.id = old.id
     RETURNING old.amount_refunded AS before, p.amount_refunded AS after, p.status`,
    [chargeId, amountRefunded === 'all' ? null : amountRefunded],
  );
  const r = rows[0];
  return r ? { before: Number(r.before), after: Number(r.after), status: r.status } : null;
}

export async function findAttachment(db: Queryable, gateway: string, paymentMethodId: string): Promise<string | null> {
  const { rows } = await db.query<{ gateway_customer_id: string }>(
    `SELECT gateway_customer_id FROM payment_method_attachments WHERE gateway = $1 AND payment_method_id = $2`,
    [gateway, paymentMethodId],
  );
  return rows[0]?.gateway_customer_id ?? null;
}

export async function recordAttachment(db: Queryable, i: { gateway: string; paymentMethodId: string; gatewayCustomerId: string; now: Date }): Promise<void> {
  await deferWrite(
    db,
    `INSERT INTO payment_method_attachments (gateway, payment_method_id, gateway_customer_id, attached_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
    [i.gateway, i.paymentMethodId, i.gatewayCustomerId, i.now],
  );
}
