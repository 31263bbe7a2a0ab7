import { recordEvent } from '../audit/index.js';
import type { Deps } from '../deps.js';
import { hmac, safeEqualHex } from '../kernel/crypto.js';
import { newId } from '../kernel/ids.js';
import { enqueueJob } from '../jobs/index.js';
import { chargeSavedMethod, declineError } from '../payments/index.js';
import { getQuote, verifyQuote } from '../pricing/index.js';
import { subscriptionErrors } from './errors.js';
import { isRecordedPayment } from './repository.js';
import { loadSubscriptionForMember } from './load-subscription-for-member.js';
import { scopedDb } from '../db/index.js';
import { periodEnd } from './periods.js';
import { changeSigningPayload } from './preview-plan-change.js';
import { findChange, findSubscription, insertPaidInvoice, markChangeApplied, setScheduledChange, switchPlan, type ChangeRow, type SubscriptionRow } from './repository.js';

export interface AppliedPlanChange {
  subscription_id: string;
  change_id: string;
  effective: 'immediate' | 'period_end';
  effective_at: string;
  amount_charged: number;
  currency: string;
}

class Stale extends Error {}

/**
 * Apply a previewed change exactly as shown. Immediate: the amount due is
 * charged (key derived from the preview, so a retry charges once), then in one
 * transaction the plan switches and the proration invoice is written. Period
 * end: the change is scheduled on the subscription. A preview that is unknown,
 * altered, expired or computed from another state of the subscription is
 * refused; a charge that no longer fits is refunded through the outbox.
 */
export async function applyPlanChange(
  deps: Pick<Deps, 'db' | 'gateway' | 'keys' | 'worker'>,
  input: { subscriptionId: string; customerId: string; changeId: string; now: Date; requestId?: string },
): Promise<AppliedPlanChange> {
  const sub = await loadSubscriptionForMember(deps.db, input.subscriptionId, input.customerId, 'subscription.manage');
  // From here on, only the subscription's tenant's rows (row-level security).
  const db = scopedDb(deps.db, { tenantId: sub.tenant_id });
  const change = await findChange(db, input.changeId);
  if (!change || change.subscription_id !== sub.id || !safeEqualHex(change.signature, hmac(deps.keys.quotes, changeSigningPayload(change)))) {
    throw subscriptionErrors.subscription_change_preview_invalid({ fields: { change_id: ['invalid'] } });
  }
  if (change.applied_at) return result(change); // a retry of a change already made
  if (input.now >= change.expires_at) throw subscriptionErrors.subscription_change_preview_expired();
  if (isStale(sub, change)) throw subscriptionErrors.subscription_change_stale();
  const quote = await getQuote(db, change.quote_id);
  if (!quote) throw subscriptionErrors.subscription_change_preview_invalid();
  verifyQuote(quote, { now: input.now, signingKey: deps.keys.quotes });

  const charge = change.amount_due > 0
    ? await chargeSavedMethod(deps, { tenantId: sub.tenant_id, customerId: sub.customer_id, paymentMethodId: sub.payment_method_id, now: input.now, amount: change.amount_due, currency: change.currency, idempotencyKey: `${sub.id}:change:${change.id}` })
    : null;
  if (charge?.status === 'declined') throw declineError(charge.declineCode);
  try {
    await db.transaction(async (tx) => {
      const locked = (await findSubscription(tx, sub.id, true))!;
      if (isStale(locked, change) || !(await markChangeApplied(tx, change.id, input.now))) throw new Stale();
      const audit = { actor: { type: 'customer' as const, id: input.customerId }, requestId: input.requestId, subject: { type: 'subscription', id: sub.id }, tenantId: sub.tenant_id };
      const data = { change_id: change.id, direction: change.direction, from: { plan_id: change.from_plan_id, interval: change.from_interval }, to: { plan_id: quote.planId, interval: quote.interval }, amount_due: change.amount_due, step_up: true };
      if (change.effective === 'period_end') {
        await setScheduledChange(tx, sub.id, { change_id: change.id, plan_id: quote.planId, interval: quote.interval, quote_id: quote.id, effective_at: change.effective_at.toISOString() });
        await recordEvent(tx, { ...audit, action: 'subscription.plan_change_scheduled', data });
        return;
      }
      const restarts = quote.interval !== locked.interval && locked.status !== 'trialing';
      const period = restarts ? { start: input.now, end: periodEnd(input.now, quote.interval) } : null;
      await switchPlan(tx, { id: sub.id, planId: quote.planId, interval: quote.interval, amount: quote.amount, quoteId: quote.id, catalogVersion: quote.catalogVersion, period });
      if (charge) {
        await insertPaidInvoice(tx, {
          id: newId('inv', input.now.getTime()), paymentId: newId('pay', input.now.getTime()), tenantId: sub.tenant_id, subscriptionId: sub.id,
          currency: change.currency, amount: change.amount_due, gateway: deps.gateway.name, chargeId: charge.id, now: input.now,
          periodStart: input.now, periodEnd: period?.end ?? locked.current_period_end, taxQuoteId: quote.id,
          lines: [
            { type: 'proration_credit', plan_id: change.from_plan_id, interval: change.from_interval, amount: -change.proration_credit },
            { type: 'proration_charge', plan_id: quote.planId, interval: quote.interval, amount: change.proration_charge },
          ],
        });
      }
      await recordEvent(tx, { ...audit, action: 'subscription.plan_changed', data });
    });
  } catch (err) {
    if (err instanceof Stale) {
      // The same preview applied by a concurrent call (a double click): its charge is ours (same key), so this is a
      // replay, not a loss. Only a charge that no applied change recorded goes back.
      const now = await findChange(db, change.id);
      if (now?.applied_at && (!charge || (await isRecordedPayment(db, charge.id)))) return result(now);
      if (charge) {
        await db.transaction((tx) => enqueueJob(tx, 'refund-charge', { enrollment_id: sub.enrollment_id, charge_id: charge.id, reason: 'plan_change_stale' }));
        deps.worker.nudge();
      }
      throw subscriptionErrors.subscription_change_stale();
    }
    throw err;
  }
  return result({ ...change, applied_at: input.now });
}

function isStale(sub: SubscriptionRow, change: ChangeRow): boolean {
  return sub.plan_id !== change.from_plan_id || sub.interval !== change.from_interval || sub.current_period_end.getTime() !== change.from_period_end.getTime();
}

function result(change: ChangeRow): AppliedPlanChange {
  return {
    subscription_id: change.subscription_id,
    change_id: change.id,
    effective: change.effective,
    effective_at: change.effective_at.toISOString(),
    amount_charged: change.amount_due,
    currency: change.currency,
  };
}
