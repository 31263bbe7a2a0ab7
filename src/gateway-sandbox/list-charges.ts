import type { GatewayCharge } from '../payments/index.js';
import type { GatewayContext } from './keys.js';

/**
 * The sandbox's charges made or refunded in a window, with what was refunded: its side of reconciliation. Its own
 * API refunds a charge whole; a refund row for part of it stands for one made at the gateway by other means
 * (Stripe's dashboard), possibly days after the charge.
 */
export async function listCharges(ctx: GatewayContext, input: { since: Date; until: Date }): Promise<GatewayCharge[]> {
  const { rows } = await ctx.db.query<{ id: string; amount: string | number; currency: string; captured: boolean; status: 'succeeded' | 'failed'; amount_refunded: string | number; has_refund: boolean; created_at: Date }>(
    `SELECT c.id, c.amount, c.currency, c.captured, c.status, COALESCE(r.amount, 0) AS amount_refunded, r.id IS NOT NULL AS has_refund, c.created_at
       FROM gateway_charges c LEFT JOIN gateway_refunds r ON r.charge_id = c.id
      WHERE (c.created_at >= $1 AND c.created_at < $2) OR (r.created_at >= $1 AND r.created_at < $2) ORDER BY c.created_at`,
    [input.since, input.until],
  );
  return rows.map((r) => ({ id: r.id, amount: Number(r.amount), currency: r.currency, captured: r.captured, status: r.status, refunded: r.has_refund && Number(r.amount_refunded) >= Number(r.amount), amountRefunded: Number(r.amount_refunded), createdAt: r.created_at }));
}
