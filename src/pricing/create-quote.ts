import type { Tx } from '../db/index.js';
import { newId } from '../kernel/ids.js';
import { applyTax } from './apply-tax.js';
import { discountAmount } from './discount-amount.js';
import { priceOffer, type PricingContext } from './dynamic/price-offer.js';
import { pricingErrors } from './errors.js';
import { normalizeLocale } from './locale.js';
import { planName } from './plan-texts.js';
import { insertQuote } from './repository.js';
import { signQuote } from './sign-quote.js';
import type { TaxRules } from './tax-rules.js';
import type { Catalog, Interval, Quote } from './types.js';

export interface CreateQuoteInput {
  catalog: Catalog;
  enrollmentId: string;
  planId: string;
  interval: Interval;
  currency: string;
  locale?: string;
  now: Date;
  ttlMinutes: number;
  signingKey: Buffer;
  taxRules: TaxRules;
  /** The buyer's country (tax rules) and, for a business, its VAT id. */
  country?: string;
  vatId?: string;
  /** A coupon already checked for this selection (promotions' resolveCoupon). */
  discount?: { kind: 'coupon' | 'referral'; code: string; percentOff: number | null; amountOff: number | null };
  /** Dynamic pricing rules and the buyer's signals; without it the quote charges the list price. */
  pricing?: PricingContext;
}

/** Price a plan from the catalogue, sign the offer and store it: what is shown is what is charged. */
export async function createQuote(tx: Tx, input: CreateQuoteInput): Promise<Quote> {
  const { catalog, planId, interval, now } = input;
  const currency = input.currency.toUpperCase();
  const plan = catalog.plans.find((p) => p.id === planId);
  if (!plan) throw pricingErrors.pricing_plan_not_found({ fields: { plan_id: ['not_found'] } });
  // Own keys only: a crafted interval such as "constructor" must not reach Object.prototype.
  const byInterval = plan.prices as Record<string, Record<string, number>>;
  const prices = Object.hasOwn(byInterval, interval) ? byInterval[interval] : undefined;
  if (!prices) throw pricingErrors.pricing_interval_unsupported({ fields: { interval: ['unsupported'] } });
  const amount = Object.hasOwn(prices, currency) ? prices[currency] : undefined;
  if (amount === undefined) {
    throw pricingErrors.pricing_currency_unsupported({ fields: { currency: ['unsupported'] }, extra: { supported: Object.keys(prices) } });
  }
  const locale = normalizeLocale(input.locale);
  // List → dynamic adjustment (bounded by the guardrails) → coupon or referral → tax: the same engine call the plan
  // list makes, then the customer's own discount on that price, and tax on what is actually paid.
  const offer = input.pricing
    ? priceOffer(input.pricing, { planId, interval, currency, list: amount, country: input.country, at: now })
    : { list: amount, amount, adjustments: [], rulesVersion: null, assignments: [] };
  const off = input.discount ? discountAmount(input.discount, offer.amount) : 0;
  const tax = applyTax(input.taxRules, offer.amount - off, { country: input.country, vatId: input.vatId });
  const unsigned = {
    id: newId('quo', now.getTime()),
    enrollmentId: input.enrollmentId,
    planId,
    interval,
    currency,
    amount: tax.gross,
    net: tax.net,
    tax: { amount: tax.tax, rateBp: tax.rateBp, mode: tax.mode, country: tax.country, label: tax.label },
    vatId: tax.vatId,
    trialDays: plan.trial_days,
    catalogVersion: catalog.version,
    locale,
    lines: [
      { type: 'plan' as const, plan_id: planId, description_key: `plan.${planId}.${interval}`, description: planName(plan, locale), interval, amount },
      ...offer.adjustments.map((a) => ({ type: 'adjustment' as const, reason: a.reason, plan_id: planId, description_key: `adjustment.${a.reason}`, description: a.reason, interval, amount: a.amount })),
      // The coupon or referral code sits in the signed line tuple, so it cannot be swapped for another after the fact.
      ...(input.discount && off > 0
        ? [{ type: 'discount' as const, reason: input.discount.kind, plan_id: planId, description_key: `${input.discount.kind}.${input.discount.code}`, description: input.discount.code, interval, amount: -off }]
        : []),
    ],
    pricing: {
      listAmount: amount,
      rulesVersion: offer.rulesVersion,
      signals: { ...input.pricing?.signals },
      visitorId: input.pricing?.visitorId ?? null,
      assignments: offer.assignments,
      fullAmount: off > 0 ? applyTax(input.taxRules, offer.amount, { country: input.country, vatId: input.vatId }).gross : tax.gross,
    },
    expiresAt: new Date(now.getTime() + input.ttlMinutes * 60_000),
    createdAt: now,
  };
  const quote: Quote = { ...unsigned, signature: signQuote(unsigned, input.signingKey) };
  await insertQuote(tx, quote);
  return quote;
}
