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
