import { open } from '../kernel/crypto.js';
import type { FieldErrors } from '../kernel/errors.js';
import { newId } from '../kernel/ids.js';
import { paymentErrors, type ChargeInput, type ChargeResult, type OnSessionChargeResult } from '../payments/index.js';
import { isExpired, needsAuthentication, testCardOutcome, type CardOutcome } from './card-rules.js';
import { gatewayErrors } from './errors.js';
import type { GatewayContext } from './keys.js';
import {
  expireChallenge, findChargeAndMethod, insertChallengeOnce, insertChargeOnce, markAuthenticated, type ChallengeRow, type ChargeRow,
} from './repository.js';

function toResult(c: ChargeRow): ChargeResult {
  return c.status === 'succeeded'
    ? { status: 'succeeded', id: c.id, amount: c.amount, currency: c.currency, kind: c.kind }
    : { status: 'declined', id: c.id, declineCode: c.decline_code ?? 'generic_decline', amount: c.amount, currency: c.currency };
}

function sameRequest(c: Pick<ChargeRow, 'payment_method_id' | 'amount' | 'currency' | 'kind'>, input: ChargeInput, currency: string): boolean {
  return (
    c.payment_method_id === input.paymentMethodId &&
    c.amount === input.amount &&
    c.currency === currency &&
    c.kind === (input.capture ? 'charge' : 'authorization')
  );
}

function checkInput(input: ChargeInput): string {
  const fields: FieldErrors = {};
  // Zero is allowed for captures too (a fully discounted first invoice); Stripe's minimums are its adapter's concern.
  if (!Number.isSafeInteger(input.amount) || input.amount < 0) fields.amount = ['invalid_amount'];
  if (typeof input.currency !== 'string' || !/^[A-Za-z]{3}$/.test(input.currency)) fields.currency = ['invalid_currency'];
  if (!input.idempotencyKey) fields.idempotencyKey = ['required'];
  if (Object.keys(fields).length > 0) throw gatewayErrors.gateway_request_invalid({ fields });
  return input.currency.toUpperCase();
}

/**
 * Charge (capture:true) or authorise-and-void (capture:false, kind 'authorization'),
 * merchant-initiated: a card that wants its cardholder is declined authentication_required.
 * One idempotency key is one charge row, whatever the concurrency: the unique
 * key plus ON CONFLICT DO NOTHING decides, and every caller reads the winner.
 */
export async function chargePaymentMethod(ctx: GatewayContext, input: ChargeInput): Promise<ChargeResult> {
  const r = await settleCharge(ctx, input, false);
  if (r.status === 'requires_action') throw new Error('an off-session charge never waits for the cardholder');
  return r;
}

/**
 * The same, customer-present: a card that needs 3-D Secure first opens a
 * challenge (keyed like the charge) and answers requires_action; the same call
 * after the cardholder answered it writes the one charge row with the issuer's
 * verdict. A pending challenge moves no money, so an abandoned one costs nothing.
 */
export function chargePaymentMethodOnSession(ctx: GatewayContext, input: ChargeInput): Promise<OnSessionChargeResult> {
  return settleCharge(ctx, input, true);
}

async function settleCharge(ctx: GatewayContext, input: ChargeInput, onSession: boolean): Promise<OnSessionChargeResult> {
  const currency = checkInput(input);
  // The key's earlier charge and the method are read together (one round trip): a replay answers from the first
  // and ignores the second, so a method deleted since still replays its charge.
  const { prior, pm } = await findChargeAndMethod(ctx.db, input.idempotencyKey, input.paymentMethodId);
  if (prior) {
    if (!sameRequest(prior, input, currency)) throw paymentErrors.payment_idempotency_mismatch();
    return toResult(prior);
  }

  if (!pm) throw paymentErrors.payment_method_invalid();
  // As on Stripe: a saved card is charged on its customer; off-session, only a method saved on the customer given.
  if ((input.offSession && !input.customerId) || (input.customerId && pm.customer_id !== input.customerId)) {
    throw paymentErrors.payment_method_invalid({ extra: { reason: 'not_attached_to_customer' } });
  }
  const now = ctx.clock.now();
  const kind = input.capture ? 'charge' : 'authorization';
  // The issuer's verdict: the PAN is opened here, inside the boundary, and dropped.
  const pan = open(ctx.keys.pan, pm.pan_ciphertext);
  let outcome: CardOutcome;
  if (isExpired(pm.exp_month, pm.exp_year, now)) outcome = { ok: false, declineCode: 'expired_card' };
  else if (!needsAuthentication(pan, Boolean(pm.authenticated_at))) outcome = testCardOutcome(pan, input.capture);
  else if (!onSession) outcome = { ok: false, declineCode: 'authentication_required' };
  else {
    let challenge = await insertChallengeOnce(
      ctx.db,
      {
        id: newId('chl', now.getTime()), idempotency_key: input.idempotencyKey, payment_method_id: pm.id, amount: input.amount, currency, kind, status: 'pending',
        expires_at: new Date(now.getTime() + ctx.challengeTtlMs),
      },
      now,
    );
    if (!sameRequest(challenge, input, currency)) throw paymentErrors.payment_idempotency_mismatch();
    if (challenge.status === 'pending') {
      if (challenge.expires_at > now) return actionRequired(challenge);
      // Unanswered in time: this key's payment ends here (nothing charged); the caller's next attempt, under a new key, opens a new challenge.
      challenge = await expireChallenge(ctx.db, challenge.id, now);
    }
    if (challenge.status === 'expired') outcome = { ok: false, declineCode: 'authentication_expired' };
    else if (challenge.status === 'failed') outcome = { ok: false, declineCode: 'authentication_failed' };
    else {
      await markAuthenticated(ctx.db, pm.id, now);
      outcome = testCardOutcome(pan, input.capture);
    }
  }

  const row = await insertChargeOnce(
    ctx.db,
    {
      id: newId('ch', now.getTime()),
      idempotency_key: input.idempotencyKey,
      payment_method_id: pm.id,
      amount: input.amount,
      currency,
      kind,
      // An authorisation is voided at once: it only proves the card works.
      captured: outcome.ok && input.capture,
      status: outcome.ok ? 'succeeded' : 'failed',
      decline_code: outcome.ok ? null : outcome.declineCode,
    },
    now,
  );
  if (!sameRequest(row, input, currency)) throw paymentErrors.payment_idempotency_mismatch();
  return toResult(row);
}

function actionRequired(c: ChallengeRow): OnSessionChargeResult {
  return { status: 'requires_action', id: c.id, amount: c.amount, currency: c.currency, nextAction: { type: 'three_d_secure', challengeId: c.id } };
}
