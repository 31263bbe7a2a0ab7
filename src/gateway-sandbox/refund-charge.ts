import { newId } from '../kernel/ids.js';
import { paymentErrors } from '../payments/index.js';
import type { GatewayContext } from './keys.js';
import { findCharge, findRefundByKey, insertRefundOnce } from './repository.js';

/** Refund a captured charge in full; the same key returns the same refund, and a charge is refunded at most once. */
export async function refundCharge(
  ctx: GatewayContext,
  input: { chargeId: string; idempotencyKey: string },
): Promise<{ id: string; status: 'succeeded' }> {
  const prior = await findRefundByKey(ctx.db, input.idempotencyKey);
  if (prior) {
    if (prior.charge_id !== input.chargeId) throw paymentErrors.payment_idempotency_mismatch();
    return { id: prior.id, status: prior.status };
  }
  const charge = await findCharge(ctx.db, input.chargeId);
  if (!charge || charge.status !== 'succeeded' || !charge.captured) {
    throw paymentErrors.payment_refund_invalid();
  }
  const now = ctx.clock.now();
  const row = await insertRefundOnce(
    ctx.db,
    {
      id: newId('re', now.getTime()),
      idempotency_key: input.idempotencyKey,
      charge_id: charge.id,
      amount: charge.amount,
      currency: charge.currency,
      status: 'succeeded',
    },
    now,
  );
  // No row for our key: the charge already has a refund under another key.
  if (!row) throw paymentErrors.payment_refund_invalid({ extra: { reason: 'already_refunded' } });
  if (row.charge_id !== charge.id) throw paymentErrors.payment_idempotency_mismatch();
  return { id: row.id, status: row.status };
}
