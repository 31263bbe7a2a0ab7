import { newId } from '../kernel/ids.js';
import { paymentErrors, type AttachPaymentMethodInput, type CreateCustomerInput } from '../payments/index.js';
import type { GatewayContext } from './keys.js';
import { insertCustomerOnce } from './repository.js';

/** A gateway customer; the unique key makes racers with the same key read one row. */
export async function createCustomer(ctx: GatewayContext, input: CreateCustomerInput): Promise<{ id: string }> {
  const now = ctx.clock.now();
  const row = await insertCustomerOnce(ctx.db, { id: newId('cus', now.getTime()), idempotency_key: input.idempotencyKey, reference: input.reference }, now);
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
