import type { Catalog } from '../types.js';
import type { PricingRules, Signals } from './rules-schema.js';

export interface OfferRanking {
  /** Plan ids in the order to show them: plans that fit the declared signals first, catalogue order within. */
  order: string[];
  recommended: string;
  /** Per plan, why it is where it is: recommended_for_team_size, team_size_above_limit, catalog_recommended… */
  reasons: Record<string, string[]>;
}

/**
 * Order the offered plans and pick one to recommend. Without signals the
 * catalogue decides (its order, its recommended plan). With signals, a plan
 * fits when each declared number is within the catalogue feature it maps to
 * (`recommend_by`, e.g. team_size → seats); the first fitting plan in
 * catalogue order is recommended, and plans that do not fit move to the end.
 */
export function rankOffers(catalog: Catalog, rules: Pick<PricingRules, 'recommend_by'>, signals: Signals = {}): OfferRanking {
  const declared = (Object.keys(rules.recommend_by) as (keyof Signals)[]).filter((s) => signals[s] !== undefined);
  const reasons: Record<string, string[]> = Object.fromEntries(catalog.plans.map((p) => [p.id, [] as string[]]));
  if (declared.length === 0) {
    const recommended = catalog.plans.find((p) => p.recommended)?.id ?? catalog.plans[0].id;
    reasons[recommended].push('catalog_recommended');
    return { order: catalog.plans.map((p) => p.id), recommended, reasons };
  }
  const fits = new Set<string>();
  for (const plan of catalog.plans) {
    for (const signal of declared) {
      const limit = plan.features[rules.recommend_by[signal]!];
      if (limit !== 'unlimited' && (typeof limit !== 'number' || limit < signals[signal]!)) reasons[plan.id].push(`${signal}_above_limit`);
    }
    if (reasons[plan.id].length === 0) fits.add(plan.id);
  }
  const fitting = catalog.plans.filter((p) => fits.has(p.id)).map((p) => p.id);
  // Nothing fits: the largest plan (last in catalogue order) comes closest.
  const recommended = fitting[0] ?? catalog.plans[catalog.plans.length - 1].id;
  reasons[recommended].unshift(...(fitting.length > 0 ? declared.map((s) => `recommended_for_${s}`) : ['closest_fit']));
  const order = [...fitting, ...catalog.plans.map((p) => p.id).filter((id) => !fits.has(id))];
  return { order, recommended, reasons };
}
