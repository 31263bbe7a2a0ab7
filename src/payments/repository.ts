import type { Queryable } from '../db/index.js';

/** Enroll's side of the customer mapping (migration 070). Every function takes `db` explicitly; it may be a transaction. */
export async function findGatewayCustomer(db: Queryable, gateway: string, tenantId: string, customerId: string): Promise<string | null> {
  const { rows } = await db.query<{ gateway_customer_id: string }>(
    `SELECT gateway_customer_id FROM payment_customers WHERE gateway = $1 AND tenant_id = $2 AND customer_id = $3`,
    [gateway, tenantId, customerId],
  );
  return rows[0]?.gateway_customer_id ?? null;
}

/** First writer wins; every racer reads the winner back, so one Enroll customer has exactly one gateway customer. */
export async function linkGatewayCustomer(db: Queryable, i: { gateway: string; tenantId: string; customerId: string; gatewayCustomerId: string; now: Date }): Promise<string> {
  await db.query(
    `INSERT INTO payment_customers (gateway, tenant_id, customer_id, gateway_customer_id, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
    [i.gateway, i.tenantId, i.customerId, i.gatewayCustomerId, i.now],
  );
  return (await findGatewayCustomer(db, i.gateway, i.tenantId, i.customerId))!;
}

export async function findAttachment(db: Queryable, gateway: string, paymentMethodId: string): Promise<string | null> {
  const { rows } = await db.query<{ gateway_customer_id: string }>(
    `SELECT gateway_customer_id FROM payment_method_attachments WHERE gateway = $1 AND payment_method_id = $2`,
    [gateway, paymentMethodId],
  );
  return rows[0]?.gateway_customer_id ?? null;
}

export async function recordAttachment(db: Queryable, i: { gateway: string; paymentMethodId: string; gatewayCustomerId: string; now: Date }): Promise<void> {
  await db.query(
    `INSERT INTO payment_method_attachments (gateway, payment_method_id, gateway_customer_id, attached_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
    [i.gateway, i.paymentMethodId, i.gatewayCustomerId, i.now],
  );
}
