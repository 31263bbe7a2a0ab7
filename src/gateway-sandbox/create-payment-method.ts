import { newId } from '../kernel/ids.js';
import { paymentErrors, type CardSummary } from '../payments/index.js';
import type { GatewayContext } from './keys.js';
import { findToken, insertPaymentMethodOnce, type PaymentMethodRow } from './repository.js';

function toResult(pm: PaymentMethodRow): { id: string; card: CardSummary } {
  return {
    id: pm.id,
    card: { brand: pm.brand, last4: pm.last4, exp_month: pm.exp_month, exp_year: pm.exp_year, fingerprint: pm.fingerprint, ...(pm.country ? { country: pm.country } : {}) },
  };
}

function replay(pm: PaymentMethodRow, token: string) {
  if (pm.token_id !== token) throw paymentErrors.payment_idempotency_mismatch();
  return toResult(pm);
}

/**
 * Exchange a single-use token for a reusable payment method; the same key returns the same payment method.
 * One statement in the usual case (insertPaymentMethodOnce): no pre-read of the key, no transaction.
 */
export async function createPaymentMethod(
  ctx: GatewayContext,
  input: { token: string; idempotencyKey: string },
): Promise<{ id: string; card: CardSummary }> {
  const now = ctx.clock.now();
  const id = newId('pm', now.getTime());
  const row = await insertPaymentMethodOnce(ctx.db, { id, token: input.token, idempotency_key: input.idempotencyKey }, now);
  if (row) return row.id === id ? toResult(row) : replay(row, input.token);
  const known = await findToken(ctx.db, input.token);
  throw paymentErrors.payment_method_invalid({ extra: { reason: known ? 'token_used' : 'token_unknown' } });
}
