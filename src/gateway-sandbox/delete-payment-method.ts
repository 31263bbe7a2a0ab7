import type { GatewayContext } from './keys.js';

/**
 * Erasure at the gateway: the stored PAN ciphertext is destroyed and the method marked deleted, so it can
 * never be charged again. Rows stay (charges reference them, for the books); what identified the card is gone.
 */
export async function deletePaymentMethod(ctx: GatewayContext, input: { paymentMethodId: string }): Promise<{ deleted: boolean }> {
  const { rows } = await ctx.db.query<{ id: string }>(
    `WITH pm AS (UPDATE gateway_payment_methods SET deleted_at = $2 WHERE id = $1 AND deleted_at IS NULL RETURNING token_id),
          t AS (UPDATE gateway_tokens SET pan_ciphertext = 'deleted' WHERE id IN (SELECT token_id FROM pm) RETURNING id)
     SELECT id FROM t`,
    [input.paymentMethodId, ctx.clock.now()],
  );
  return { deleted: rows.length > 0 };
}

/**
 * Erasure of a gateway customer: every method saved on it is destroyed as above, and the customer is marked
 * deleted so nothing can be attached to or charged on it again. The row stays (charges name it).
 */
export async function deleteCustomer(ctx: GatewayContext, input: { customerId: string }): Promise<{ deleted: boolean }> {
  const now = ctx.clock.now();
  const { rows } = await ctx.db.query<{ id: string }>(
    `UPDATE gateway_customers SET deleted_at = $2 WHERE id = $1 AND deleted_at IS NULL RETURNING id`, [input.customerId, now]);
  if (rows.length === 0) return { deleted: false };
  const { rows: methods } = await ctx.db.query<{ id: string }>(`SELECT id FROM gateway_payment_methods WHERE customer_id = $1`, [input.customerId]);
  for (const m of methods) await deletePaymentMethod(ctx, { paymentMethodId: m.id });
  return { deleted: true };
}
