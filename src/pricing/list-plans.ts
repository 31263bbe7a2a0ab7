import { formatMoney } from '../kernel/money.js';
import { resolveRules, type Assignment } from './dynamic/assign-variant.js';
import { priceOffer, type PricingContext } from './dynamic/price-offer.js';
import { rankOffers } from './dynamic/rank-offers.js';
import { pricingErrors } from './errors.js';
import { normalizeLocale } from './locale.js';
import { featureLabel, planName, planTagline } from './plan-texts.js';
import { INTERVALS } from './schemas.js';
import { currencyForCountry, taxRuleFor, type TaxRules } from './tax-rules.js';
import type { Catalog, Plan, PlansResponse } from './types.js';

type Price = PlansResponse['plans'][number]['prices'][number];

/**
 * The public plan list: localized text, Intl-formatted prices, annual savings.
 * With a pricing context, prices go through the dynamic pricing engine (the
 * same call the quote makes, so the list shows what selection charges) and the
 * plans come ordered, with a recommended plan and reasons.
 */
export function listPlans(
  catalog: Catalog,
  opts: { currency?: string; locale?: string; country?: string; tax?: TaxRules; pricing?: PricingContext; now?: Date },
): PlansResponse & { assignments: Assignment[] } {
  const locale = normalizeLocale(opts.locale);
  const rule = opts.country && opts.tax ? taxRuleFor(opts.tax, opts.country) : null;
  // Currency follows the country when the catalogue offers it; an explicit currency wins.
  const byCountry = opts.tax ? currencyForCountry(opts.tax, catalog.currencies, opts.country) : undefined;
  const currency = opts.currency?.toUpperCase() ?? byCountry;
  if (currency !== undefined && !catalog.currencies.includes(currency)) {
    throw pricingErrors.pricing_currency_unsupported({
      fields: { currency: ['unsupported'] },
      extra: { supported: [...catalog.currencies] },
    });
  }
  const currencies = currency ? [currency] : catalog.currencies;
  const engine = opts.pricing ? { ctx: opts.pricing, country: opts.country, at: opts.now ?? new Date() } : undefined;
  const ranking = engine ? rankOffers(catalog, engine.ctx.rules, engine.ctx.signals) : undefined;
  const plans = ranking ? ranking.order.map((id) => catalog.plans.find((p) => p.id === id)!) : catalog.plans;
  // Assignments depend on the visitor and the time only, not on the plan.
  const assignments = engine ? resolveRules(engine.ctx.rules, engine.ctx.visitorId, engine.at).assignments : [];
  return {
    catalog_version: catalog.version,
    currency: currency ?? null,
    locale,
    plans: plans.map((plan) => ({
      id: plan.id,
      name: planName(plan, locale),
      tagline: planTagline(plan, locale),
      recommended: ranking ? ranking.recommended === plan.id : plan.recommended,
      ...(ranking ? { reasons: ranking.reasons[plan.id] } : {}),
      trial_days: plan.trial_days,
      trial_card_required: plan.trial_card_required,
      features: { ...plan.features },
      prices: INTERVALS.flatMap((interval) => currencies.map((c) => price(plan, interval, c, locale, engine))),
    })),
    features: catalog.features.map((f) => ({ key: f.key, label: featureLabel(f, locale) })),
    country: opts.country ?? null,
    tax: rule ? { mode: rule.display, rate_bp: rule.rate_bp, label: rule.label } : null,
    matrix: {
      columns: plans.map((p) => p.id),
      rows: catalog.features.map((f) => ({ key: f.key, label: featureLabel(f, locale), values: plans.map((p) => p.features[f.key]) })),
    },
    ...(engine && ranking
      ? { offer: { recommended_plan_id: ranking.recommended, order: ranking.order, pricing_version: engine.ctx.rules.version, experiments: assignments } }
      : {}),
    assignments,
  };
}

type Engine = { ctx: PricingContext; country?: string; at: Date };

function price(plan: Plan, interval: Price['interval'], currency: string, locale: string, engine: Engine | undefined): Price {
  const at = (i: Price['interval']) => {
    const list = plan.prices[i][currency];
    return engine ? priceOffer(engine.ctx, { planId: plan.id, interval: i, currency, list, country: engine.country, at: engine.at }) : { list, amount: list, adjustments: [] };
  };
  const p = at(interval);
  const out: Price = { interval, currency, amount: p.amount, display: formatMoney(p.amount, currency, locale) };
  if (engine) Object.assign(out, { list_amount: p.list, list_display: formatMoney(p.list, currency, locale), adjustments: p.adjustments });
  // The saving compares what the customer would actually pay each way.
  if (interval === 'year') out.savings_percent = annualSavingsPercent(at('month').amount, p.amount);
  return out;
}

/** Rounded down, so the page never promises more than the customer saves. */
export function annualSavingsPercent(monthly: number, yearly: number): number {
  const full = 12 * monthly;
  return full > 0 ? Math.max(0, Math.floor(((full - yearly) * 100) / full)) : 0;
}
