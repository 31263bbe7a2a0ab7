import { newId } from '../kernel/ids.js';
import { paymentErrors, type AttachPaymentMethodInput, type CreateCustomerInput } from '../payments/index.js';
import type { GatewayContext } from './keys.js';

/** A gateway customer; the unique key makes racers with the same key read one row. */
export async function createCustomer(ctx: GatewayContext, input: CreateCustomerInput): Promise<{ id: string }> {
  const now = ctx.clock.now();
  // Insert-or-read in one statement; a second read only when a racer with the key committed after its snapshot.
  const { rows } = await ctx.db.query<{ id: string; reference: string }>(
    `WITH ins AS (INSERT INTO gateway_customers (id, idempotency_key, reference, created_at) VALUES ($1, $2, $3, $4)
                  ON CONFLICT (idempotency_key) DO NOTHING RETURNING id, reference)
     SELECT * FROM ins UNION ALL SELECT id, reference FROM gateway_customers WHERE idempotency_key = $2 LIMIT 1`,
    [newId('cus', now.getTime()), input.idempotencyKey, input.reference, now],
  );
  const row = rows[0] ?? (await ctx.db.query<{ id: string; reference: string }>(`SELECT id, reference FROM gateway_customers WHERE idempotency_key = $1`, [input.idempotencyKey])).rows[0]!;
  if (row.reference !== input.reference) throw paymentErrors.payment_idempotency_mismatch();
  return { id: row.id };
}

/**
 * Save a method on a customer. Naturally idempotent (the same customer again is a
 * no-op), so the key is not stored; a method saved on another customer stays there,
 * as on Stripe: one card is never billable to two customers.
 */
export async function attachPaymentMethod(ctx: GatewayContext, input: AttachPaymentMethodInput): Promise<{ id: string; customerId: string }> {
  const { rows } = await ctx.db.query<{ id: string }>(
    `UPDATE gateway_payment_methods SET customer_id = $2
      WHERE id = $1 AND (customer_id IS NULL OR customer_id = $2) AND EXISTS (SELECT 1 FROM gateway_customers WHERE id = $2 AND deleted_at IS NULL)
      RETURNING id`,
    [input.paymentMethodId, input.customerId],
  );
  if (rows.length === 0) throw paymentErrors.payment_method_invalid({ extra: { reason: 'not_attachable' } });
  return { id: input.paymentMethodId, customerId: input.customerId };
}
