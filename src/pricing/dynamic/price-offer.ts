import type { Interval } from '../schemas.js';
import { adjustPrice, type AdjustedPrice } from './adjust-price.js';
import { resolveRules, type Assignment } from './assign-variant.js';
import type { PricingRules, Signals } from './rules-schema.js';

/** What the engine needs beyond the price: the same for the plan list and the quote, so both price alike. */
export interface PricingContext {
  rules: PricingRules;
  signals?: Signals;
  visitorId?: string;
}

export interface OfferPrice extends AdjustedPrice {
  rulesVersion: string;
  assignments: Assignment[];
}

/** The one entry point for a price: resolve the visitor's variant, then adjust the list price within the guardrails. */
export function priceOffer(
  ctx: PricingContext,
  p: { planId: string; interval: Interval; currency: string; list: number; country?: string; at: Date },
): OfferPrice {
  const { rules, assignments } = resolveRules(ctx.rules, ctx.visitorId, p.at);
  return { ...adjustPrice(rules, { ...p, signals: ctx.signals }), rulesVersion: ctx.rules.version, assignments };
}
