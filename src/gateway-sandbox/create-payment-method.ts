import { newId } from '../kernel/ids.js';
import { paymentErrors, type CardSummary } from '../payments/index.js';
import type { GatewayContext } from './keys.js';
import { consumeToken, findPaymentMethodByKey, findToken, insertPaymentMethod, type PaymentMethodRow } from './repository.js';

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

/** Exchange a single-use token for a reusable payment method; the same key returns the same payment method. */
export async function createPaymentMethod(
  ctx: GatewayContext,
  input: { token: string; idempotencyKey: string },
): Promise<{ id: string; card: CardSummary }> {
  const existing = await findPaymentMethodByKey(ctx.db, input.idempotencyKey);
  if (existing) return replay(existing, input.token);

  return ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    // The UPDATE … WHERE consumed_at IS NULL is the single-use guard: a racer blocks on
    // the row lock, then finds the token consumed.
    const token = await consumeToken(tx, input.token, now);
    if (!token) {
      // The racer may have been a retry with our own key: it won, so replay its result.
      const winner = await findPaymentMethodByKey(tx, input.idempotencyKey);
      if (winner) return replay(winner, input.token);
      const known = await findToken(tx, input.token);
      throw paymentErrors.payment_method_invalid({ extra: { reason: known ? 'token_used' : 'token_unknown' } });
    }
    const pm: PaymentMethodRow = {
      id: newId('pm', now.getTime()),
      token_id: token.id,
      idempotency_key: input.idempotencyKey,
      fingerprint: token.fingerprint,
      brand: token.brand,
      last4: token.last4,
      exp_month: token.exp_month,
      exp_year: token.exp_year,
      country: token.country,
    };
    // Throwing rolls the token consumption back: the losing token stays usable.
    if (!(await insertPaymentMethod(tx, pm, now))) throw paymentErrors.payment_idempotency_mismatch();
    return toResult(pm);
  });
}
