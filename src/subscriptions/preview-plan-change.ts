import { recordEvent } from '../audit/index.js';
import type { Deps } from '../deps.js';
import { hmac } from '../kernel/crypto.js';
import { newId } from '../kernel/ids.js';
import { createQuote, getQuote, quoteToJson, type Interval, type QuoteJson } from '../pricing/index.js';
import { subscriptionErrors } from './errors.js';
import { loadSubscriptionForMember } from './load-subscription-for-member.js';
import { scopedDb } from '../db/index.js';
import { changeDirection, changeEffect, prorate, type ChangeDirection } from './plan-change-rules.js';
import { periodDiscount } from './renew-subscription.js';
import { insertChange, paidForPeriod, type ChangeRow } from './repository.js';

export interface PlanChangePreview {
  id: string;
  subscription_id: string;
  direction: ChangeDirection;
  effective: 'immediate' | 'period_end';
  effective_at: string;
  currency: string;
  proration: { credit: number; charge: number };
  amount_due_now: number;
  next_period_amount: number;
  quote: QuoteJson;
  expires_at: string;
}

/** The exact signature input: every amount and the subscription state the preview was computed from. */
export function changeSigningPayload(c: Omit<ChangeRow, 'signature' | 'applied_at' | 'created_at'>): string {
  return JSON.stringify([
    'change.v1', c.id, c.subscription_id, c.quote_id, c.direction, c.effective, c.effective_at.toISOString(), c.from_plan_id, c.from_interval,
    c.from_period_end.toISOString(), c.proration_credit, c.proration_charge, c.amount_due, c.currency, c.expires_at.toISOString(),
  ]);
}

/**
 * What switching to another plan or interval would do, with the exact amounts:
 * when it takes effect (per direction, from the catalogue's change policy), the
 * proration credit and charge, what is due now, what the next periods cost.
 * Stored and signed; `/change` applies this preview or nothing.
 */
export async function previewPlanChange(
  deps: Pick<Deps, 'db' | 'catalog' | 'keys' | 'config' | 'tax' | 'pricingRules'>,
  input: { subscriptionId: string; customerId: string; planId: string; interval: Interval; now: Date; requestId?: string },
): Promise<PlanChangePreview> {
  const sub = await loadSubscriptionForMember(deps.db, input.subscriptionId, input.customerId, 'subscription.manage');
  // From here on, only the subscription's tenant's rows (row-level security).
  const db = scopedDb(deps.db, { tenantId: sub.tenant_id });
  if (sub.status === 'canceled') throw subscriptionErrors.subscription_change_invalid({ extra: { status: sub.status } });
  if (sub.plan_id === input.planId && sub.interval === input.interval) {
    throw subscriptionErrors.subscription_change_invalid({ detail: 'That is the current plan', fields: { plan_id: ['unchanged'] } });
  }
  // Same buyer, same tax treatment: the country and VAT id the subscription was sold under.
  const sold = await getQuote(db, sub.quote_id);
  return db.transaction(async (tx) => {
    const quote = await createQuote(tx, {
      catalog: deps.catalog, taxRules: deps.tax, enrollmentId: sub.enrollment_id, planId: input.planId, interval: input.interval,
      currency: sub.currency, now: input.now, ttlMinutes: deps.config.quoteTtlMinutes, signingKey: deps.keys.quotes,
      country: sold?.tax.country ?? undefined, vatId: sold?.vatId ?? undefined,
      // Same buyer, same dynamic pricing: its country's regional price, the signals it declared and its experiment variant.
      pricing: { rules: deps.pricingRules, signals: sold?.pricing.signals, visitorId: sold?.pricing.visitorId ?? undefined },
    });
    const direction = changeDirection(deps.catalog, { planId: sub.plan_id, interval: sub.interval, amount: sub.amount }, { planId: quote.planId, interval: quote.interval, amount: quote.amount });
    // A trial has nothing to prorate: the switch is immediate and free, and the trial runs on.
    const effective = sub.status === 'trialing' ? 'immediate' : changeEffect(deps.catalog, direction);
    // Fair to a customer with a coupon: the credit is a share of what was actually paid for this period, and the
    // new plan is charged at the price the coupon leaves for the periods to come.
    const paid = await paidForPeriod(tx, sub.id, sub.current_period_start, sub.current_period_end);
    const p = effective === 'immediate' && sub.status !== 'trialing'
      ? prorate({
          now: input.now, periodStart: sub.current_period_start, periodEnd: sub.current_period_end,
          currentAmount: paid ?? sub.amount - periodDiscount(sub, sub.amount), newAmount: quote.amount - periodDiscount(sub, quote.amount), restartsPeriod: quote.interval !== sub.interval,
        })
      : { credit: 0, charge: 0, amountDue: 0 };
    const row = {
      id: newId('chg', input.now.getTime()),
      subscription_id: sub.id,
      quote_id: quote.id,
      direction,
      effective,
      effective_at: effective === 'immediate' ? input.now : sub.current_period_end,
      from_plan_id: sub.plan_id,
      from_interval: sub.interval,
      from_period_end: sub.current_period_end,
      proration_credit: p.credit,
      proration_charge: p.charge,
      amount_due: p.amountDue,
      currency: sub.currency,
      expires_at: quote.expiresAt,
    };
    await insertChange(tx, { ...row, signature: hmac(deps.keys.quotes, changeSigningPayload(row)), created_at: input.now });
    // Every price shown is stored and audited (price transparency), previews included.
    await recordEvent(tx, {
      action: 'subscription.change_previewed', actor: { type: 'customer', id: input.customerId }, requestId: input.requestId,
      subject: { type: 'subscription', id: sub.id }, tenantId: sub.tenant_id,
      data: { change_id: row.id, quote_id: quote.id, direction, effective, amount_due: p.amountDue, next_period_amount: quote.amount, currency: sub.currency },
    });
    return {
      id: row.id,
      subscription_id: sub.id,
      direction,
      effective,
      effective_at: row.effective_at.toISOString(),
      currency: sub.currency,
      proration: { credit: p.credit, charge: p.charge },
      amount_due_now: p.amountDue,
      next_period_amount: quote.amount,
      quote: quoteToJson(quote),
      expires_at: quote.expiresAt.toISOString(),
    };
  });
}
