import { recordEvent } from '../audit/index.js';
import type { Deps } from '../deps.js';
import { createQuote, getQuote, quoteToJson, type Interval, type QuoteJson } from '../pricing/index.js';
import { subscriptionErrors } from './errors.js';
import { loadSubscriptionForMember } from './load-subscription-for-member.js';
import { setScheduledChange } from './repository.js';

export interface ScheduledPlanChange {
  subscription_id: string;
  scheduled_change: { plan_id: string; interval: Interval; effective_at: string; quote: QuoteJson };
}

/**
 * Choose another plan or interval for the next period. The caller has stepped
 * up (routes check it). The new price is a signed, stored quote in the
 * subscription's currency, applied at the end of the current period: no
 * mid-period proration, so nothing is charged now and nothing is surprising.
 */
export async function schedulePlanChange(
  deps: Pick<Deps, 'db' | 'catalog' | 'keys' | 'config' | 'tax'>,
  input: { subscriptionId: string; customerId: string; planId: string; interval: Interval; now: Date; requestId?: string },
): Promise<ScheduledPlanChange> {
  const sub = await loadSubscriptionForMember(deps.db, input.subscriptionId, input.customerId, 'subscription.manage');
  if (sub.status === 'canceled') throw subscriptionErrors.subscription_change_invalid({ extra: { status: sub.status } });
  if (sub.plan_id === input.planId && sub.interval === input.interval) {
    throw subscriptionErrors.subscription_change_invalid({ detail: 'That is the current plan', fields: { plan_id: ['unchanged'] } });
  }
  // Same buyer, same tax treatment: the country and VAT id the subscription was sold under.
  const current = await getQuote(deps.db, sub.quote_id);
  return deps.db.transaction(async (tx) => {
    const quote = await createQuote(tx, {
      catalog: deps.catalog,
      enrollmentId: sub.enrollment_id,
      planId: input.planId,
      interval: input.interval,
      currency: sub.currency,
      now: input.now,
      // Honoured at renewal, so it must outlive the period it waits for.
      ttlMinutes: Math.max(deps.config.quoteTtlMinutes, Math.ceil((sub.current_period_end.getTime() - input.now.getTime()) / 60_000) + 24 * 60),
      signingKey: deps.keys.quotes,
      taxRules: deps.tax,
      country: current?.tax.country ?? undefined,
      vatId: current?.vatId ?? undefined,
    });
    const change = { plan_id: input.planId, interval: input.interval, effective_at: sub.current_period_end.toISOString(), quote_id: quote.id };
    await setScheduledChange(tx, sub.id, change);
    await recordEvent(tx, {
      action: 'subscription.plan_change_scheduled',
      actor: { type: 'customer', id: input.customerId },
      requestId: input.requestId,
      subject: { type: 'subscription', id: sub.id },
      tenantId: sub.tenant_id,
      data: { from: { plan_id: sub.plan_id, interval: sub.interval }, ...change, amount: quote.amount, currency: quote.currency, step_up: true },
    });
    return { subscription_id: sub.id, scheduled_change: { plan_id: input.planId, interval: input.interval, effective_at: change.effective_at, quote: quoteToJson(quote) } };
  });
}
