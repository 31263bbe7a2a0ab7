import { recordEvent } from '../audit/index.js';
import type { Deps } from '../deps.js';
import { sha256 } from '../kernel/crypto.js';
import { authenticationRequiredError, declineError, savePaymentMethod, type CardSummary } from '../payments/index.js';
import { subscriptionErrors } from './errors.js';
import { loadSubscriptionForMember } from './load-subscription-for-member.js';
import { scopedDb } from '../db/index.js';
import { findSubscription, swapPaymentMethod } from './repository.js';
import { openCaseOf } from './dunning.js';
import { enqueueJob } from '../jobs/index.js';

export interface ChangedPaymentMethod {
  subscription_id: string;
  payment_method: { id: string; brand: string; last4: string; exp_month: number; exp_year: number };
}

/**
 * Replace the card a subscription is billed to. The caller has stepped up
 * (routes check it). The new card is validated with a zero authorisation before
 * anything relies on it; a declined card changes nothing. Gateway keys derive
 * from the subscription and the token, so a retried request reuses them.
 * The customer is present, so a card that wants 3-D Secure gets its challenge
 * (402 payment_authentication_required with next_action, nothing changed);
 * the same request after the cardholder answered confirms that very check,
 * once, and only then swaps the card. A card set up this way is authenticated
 * for the later merchant-initiated renewals.
 */
export async function changePaymentMethod(
  deps: Pick<Deps, 'db' | 'gateway' | 'config'>,
  input: { subscriptionId: string; customerId: string; token: string; now: Date; requestId?: string; origin?: string; locale?: string },
): Promise<ChangedPaymentMethod> {
  const sub = await loadSubscriptionForMember(deps.db, input.subscriptionId, input.customerId, 'billing.manage');
  // From here on, only the subscription's tenant's rows (row-level security).
  const db = scopedDb(deps.db, { tenantId: sub.tenant_id });
  if (sub.status === 'canceled') throw subscriptionErrors.subscription_change_invalid({ extra: { status: sub.status } });
  const key = `${sub.id}:change-payment:${sha256(input.token).slice(0, 24)}`;
  const pm = await deps.gateway.createPaymentMethod({ token: input.token, idempotencyKey: key });
  // The new card is saved on the same gateway customer as the old one: one customer per tenant, its cards reused.
  const customerId = await savePaymentMethod(deps, { tenantId: sub.tenant_id, customerId: sub.customer_id, paymentMethodId: pm.id, now: input.now });
  const check = await deps.gateway.chargeOnSession({ paymentMethodId: pm.id, customerId, amount: 0, currency: sub.currency, capture: false, idempotencyKey: `${key}:validate` });
  if (check.status === 'requires_action') {
    await db.transaction((tx) => recordEvent(tx, {
      action: 'payment.authentication_requested', actor: { type: 'customer', id: input.customerId }, requestId: input.requestId,
      subject: { type: 'subscription', id: sub.id }, tenantId: sub.tenant_id, data: { gateway_reference: check.id, payment_method_id: pm.id, amount: 0, currency: check.currency },
    }));
    throw authenticationRequiredError(check, { appOrigins: deps.config.appOrigins, origin: input.origin, locale: input.locale ?? 'en' });
  }
  if (check.status === 'declined') throw declineError(check.declineCode);
  const card: Omit<CardSummary, 'fingerprint'> = { brand: pm.card.brand, last4: pm.card.last4, exp_month: pm.card.exp_month, exp_year: pm.card.exp_year };
  await db.transaction(async (tx) => {
    if (sub.payment_method_id === pm.id) return; // a replay of a change already made
    if (!(await swapPaymentMethod(tx, sub.id, sub.payment_method_id, pm.id))) {
      // A concurrent copy of this very request (two tabs, a retry after the challenge) made the change: same answer.
      if ((await findSubscription(tx, sub.id))?.payment_method_id === pm.id) return;
      throw subscriptionErrors.subscription_change_invalid({ detail: 'The payment method changed meanwhile; reload and retry' });
    }
    await recordEvent(tx, {
      action: 'subscription.payment_method_changed',
      actor: { type: 'customer', id: input.customerId },
      requestId: input.requestId,
      subject: { type: 'subscription', id: sub.id },
      tenantId: sub.tenant_id,
      data: { from: sub.payment_method_id, to: pm.id, brand: card.brand, last4: card.last4, step_up: true },
    });
    // A past-due customer who fixes the card is charged again now, not at the next scheduled retry.
    const openCase = sub.status === 'past_due' ? await openCaseOf(tx, sub.id) : null;
    if (openCase) await enqueueJob(tx, 'dunning-retry', { case_id: openCase });
  });
  return { subscription_id: sub.id, payment_method: { id: pm.id, ...card } };
}
