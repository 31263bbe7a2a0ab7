import type { Catalog } from '../pricing/index.js';

/**
 * Whether a quote needs a card before completion: always for a paid start; for a
 * trial, as the plan says (`trial_card_required`). A plan no longer in the
 * catalogue asks for one: the safe default.
 */
export function needsCard(catalog: Catalog, quote: { planId: string; trialDays: number }): boolean {
  if (quote.trialDays === 0) return true;
  return catalog.plans.find((p) => p.id === quote.planId)?.trial_card_required ?? true;
}
