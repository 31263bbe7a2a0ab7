import type { Tx } from '../db/index.js';
import { newId } from '../kernel/ids.js';
import { applyTax } from './apply-tax.js';
import { discountAmount } from './discount-amount.js';
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
  // List price → coupon → tax: the tax is on what is actually paid.
  const off = input.discount ? discountAmount(input.discount, amount) : 0;
  const tax = applyTax(input.taxRules, amount - off, { country: input.country, vatId: input.vatId });
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
      { plan_id: planId, description_key: `plan.${planId}.${interval}`, description: planName(plan, locale), interval, amount },
      // The coupon or referral code sits in the signed line tuple, so it cannot be swapped for another after the fact.
      ...(input.discount && off > 0 ? [{ plan_id: planId, description_key: `${input.discount.kind}.${input.discount.code}`, description: input.discount.code, interval, amount: -off }] : []),
    ],
    expiresAt: new Date(now.getTime() + input.ttlMinutes * 60_000),
    createdAt: now,
  };
  const quote: Quote = { ...unsigned, signature: signQuote(unsigned, input.signingKey) };
  await insertQuote(tx, quote);
  return quote;
}
