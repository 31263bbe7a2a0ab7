import { formatMoney } from '../kernel/money.js';
import { pricingErrors } from './errors.js';
import { normalizeLocale } from './locale.js';
import { featureLabel, planName, planTagline } from './plan-texts.js';
import { INTERVALS } from './schemas.js';
import { currencyForCountry, taxRuleFor, type TaxRules } from './tax-rules.js';
import type { Catalog, Plan, PlansResponse } from './types.js';

type Price = PlansResponse['plans'][number]['prices'][number];

/** The public plan list: localized text, Intl-formatted prices, annual savings. */
export function listPlans(catalog: Catalog, opts: { currency?: string; locale?: string; country?: string; tax?: TaxRules }): PlansResponse {
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
  return {
    catalog_version: catalog.version,
    currency: currency ?? null,
    locale,
    plans: catalog.plans.map((plan) => ({
      id: plan.id,
      name: planName(plan, locale),
      tagline: planTagline(plan, locale),
      recommended: plan.recommended,
      trial_days: plan.trial_days,
      trial_card_required: plan.trial_card_required,
      features: { ...plan.features },
      prices: INTERVALS.flatMap((interval) => currencies.map((c) => price(plan, interval, c, locale))),
    })),
    features: catalog.features.map((f) => ({ key: f.key, label: featureLabel(f, locale) })),
    country: opts.country ?? null,
    tax: rule ? { mode: rule.display, rate_bp: rule.rate_bp, label: rule.label } : null,
    matrix: {
      columns: catalog.plans.map((p) => p.id),
      rows: catalog.features.map((f) => ({ key: f.key, label: featureLabel(f, locale), values: catalog.plans.map((p) => p.features[f.key]) })),
    },
  };
}

function price(plan: Plan, interval: Price['interval'], currency: string, locale: string): Price {
  const amount = plan.prices[interval][currency];
  const out: Price = { interval, currency, amount, display: formatMoney(amount, currency, locale) };
  if (interval === 'year') out.savings_percent = annualSavingsPercent(plan.prices.month[currency], amount);
  return out;
}

/** Rounded down, so the page never promises more than the customer saves. */
export function annualSavingsPercent(monthly: number, yearly: number): number {
  const full = 12 * monthly;
  return full > 0 ? Math.max(0, Math.floor(((full - yearly) * 100) / full)) : 0;
}
