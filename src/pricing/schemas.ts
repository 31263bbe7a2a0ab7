import { z } from 'zod';
import { canonical } from '../i18n/index.js';

/** ISO 4217 codes ICU knows; a typo such as "EUD" is refused at load time. */
const knownCurrencies = new Set(Intl.supportedValuesOf('currency'));
export const isKnownCurrency = (code: string) => knownCurrencies.has(code);

export const intervalSchema = z.enum(['month', 'year']);
export type Interval = z.infer<typeof intervalSchema>;
export const INTERVALS: readonly Interval[] = intervalSchema.options;

// ---- the catalogue file (config/catalog.json) ----

const currencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, { error: 'must be a three-letter upper-case ISO 4217 code', abort: true })
  .refine(isKnownCurrency, 'is not a known ISO 4217 currency code');

/** Integer minor units (1900 = 19.00 EUR, 1200 = ¥1,200): never a float, never converted. */
const amountMinor = z
  .number({ error: 'must be a number of minor units' })
  .int({ error: 'must be an integer number of minor units (1900 means 19.00)' })
  .min(0, 'must not be negative')
  .max(Number.MAX_SAFE_INTEGER, 'is too large');

const text = z.string().trim().min(1, 'must not be empty');
/**
 * The English source text. Translations live in the ICU catalogues
 * (src/i18n/locales/<locale>.json, keys plan.<id>.name, plan.<id>.tagline,
 * feature.<key>.label); catalog-rules refuses a translation left here.
 */
const localizedText = z.object({ en: text });

const featureKey = z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be snake_case');
export const featureValueSchema = z.union([z.number().int('must be a whole number').min(0, 'must not be negative'), z.boolean(), z.literal('unlimited')], {
  error: 'must be a non-negative integer, true/false or "unlimited"',
});

const priceMap = z.record(currencyCode, amountMinor);

const planSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, 'must be a lower-case slug (a-z, 0-9, _ or -)'),
    name: localizedText,
    tagline: localizedText,
    recommended: z.boolean().default(false),
    trial_days: z.number().int('must be a whole number of days').min(0, 'must not be negative').max(365, 'must be at most 365'),
    /** Whether a trial asks for a card up front (validated, not charged) or starts without one. */
    trial_card_required: z.boolean().default(true),
    features: z.record(featureKey, featureValueSchema),
    prices: z.object({ month: priceMap, year: priceMap }).strict(),
  })
  .strict();

export const catalogFileSchema = z
  .object({
    $schema: z.string().optional(),
    version: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be a short version label such as 2026-11-01'),
    currencies: z.array(currencyCode).min(1, 'must list at least one currency'),
    features: z.array(z.object({ key: featureKey, label: localizedText }).strict()).min(1, 'must declare at least one feature'),
    plans: z.array(planSchema).min(1, 'must contain at least one plan'),
    /** When a plan change after enrollment takes effect, per direction. Immediate changes are prorated. */
    change_policy: z
      .object({
        upgrade: z.enum(['immediate', 'period_end']).default('immediate'),
        downgrade: z.enum(['immediate', 'period_end']).default('period_end'),
        interval_change: z.enum(['immediate', 'period_end']).default('period_end'),
      })
      .strict()
      .default({ upgrade: 'immediate', downgrade: 'period_end', interval_change: 'period_end' }),
  })
  .strict();

export type CatalogFile = z.output<typeof catalogFileSchema>;

// ---- HTTP edge ----

const currencyParam = z
  .string()
  .regex(/^[A-Za-z]{3}$/, 'invalid_format')
  .transform((c) => c.toUpperCase())
  .describe('ISO 4217 code, e.g. EUR. Omit for every offered currency.');

const localeParam = z
  .string()
  .max(64)
  .refine((l) => canonicalLocale(l) !== undefined, 'invalid_locale')
  .describe('BCP 47 tag, e.g. de-DE. Text falls back de-DE → de → en.');

const countryParam = z.string().regex(/^[A-Za-z]{2}$/, 'invalid_format').transform((c) => c.toUpperCase()).describe('ISO 3166-1 alpha-2: picks the currency and the tax display');

/** What the customer declares about itself, and the visitor id experiments assign by; all optional. */
const signalsSchema = {
  team_size: z.coerce.number().int().min(1).max(1_000_000).optional().describe('Declared team size: recommends a plan, may unlock a team discount'),
  projects: z.coerce.number().int().min(1).max(1_000_000).optional().describe('Declared number of projects: recommends a plan'),
  visitor_id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'invalid_format').optional().describe('A stable, opaque visitor id: assigns pricing experiments deterministically'),
};

export const listPlansQuery = z.object({ currency: currencyParam.optional(), locale: localeParam.optional(), country: countryParam.optional(), ...signalsSchema });

export const selectPlanBody = z
  .object({
    plan_id: z.string().min(1).max(64),
    interval: intervalSchema,
    currency: currencyParam,
    vat_id: z.string().min(4).max(20).optional().describe('An EU business\'s VAT id: another member state than ours gets the reverse charge'),
    coupon: z.string().min(1).max(40).optional().describe('A coupon code; its discount is a signed line of the quote'),
    referral_code: z.string().min(1).max(40).optional().describe('A customer\'s referral code: the referee discount from the referral rules'),
    // The same signals as GET /v1/plans: with the same values, the quote charges what the list showed.
    ...signalsSchema,
  })
  .strict();

/** The canonical BCP 47 form, or undefined for a tag that is not one (callers fall back or refuse); de_DE is not one here. */
export function canonicalLocale(tag: string): string | undefined {
  return tag.includes('_') ? undefined : canonical(tag);
}

const adjustmentSchema = z.object({
  reason: z.string().describe('Stable code: ppp_discount, campaign_<id>, signal_<id>, capped_by_guardrail'),
  amount: z.number().int().describe('Minor units; negative takes off the list price'),
});

const priceSchema = z.object({
  interval: intervalSchema,
  currency: z.string(),
  amount: z.number().int().describe('Minor units: 1900 = 19.00 EUR, 1200 = ¥1,200'),
  display: z.string().describe('Formatted with Intl for the requested locale'),
  savings_percent: z.number().int().optional().describe('Annual prices only: saving vs 12 × the monthly price, rounded down'),
  list_amount: z.number().int().optional().describe('The catalogue price before dynamic pricing; `amount` is what is charged before tax'),
  list_display: z.string().optional(),
  adjustments: z.array(adjustmentSchema).optional().describe('Why `amount` differs from `list_amount`: they add up to the difference'),
});

export const plansResponse = z.object({
  catalog_version: z.string(),
  currency: z.string().nullable(),
  locale: z.string(),
  plans: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      tagline: z.string(),
      recommended: z.boolean(),
      reasons: z.array(z.string()).optional().describe('Why the plan is recommended or ranked lower: recommended_for_team_size, team_size_above_limit…'),
      trial_days: z.number().int(),
      trial_card_required: z.boolean(),
      features: z.record(z.string(), featureValueSchema),
      prices: z.array(priceSchema),
    }),
  ),
  features: z.array(z.object({ key: z.string(), label: z.string() })),
  country: z.string().nullable(),
  tax: z.object({ mode: z.enum(['inclusive', 'exclusive']), rate_bp: z.number().int(), label: z.string() }).nullable().describe('How prices are shown for `country`: inclusive prices contain the tax'),
  matrix: z
    .object({
      columns: z.array(z.string()).describe('Plan ids, in display order'),
      rows: z.array(z.object({ key: z.string(), label: z.string(), values: z.array(featureValueSchema) })).describe('One row per feature, one value per column'),
    })
    .describe('The comparison table: plans as columns, features as rows'),
  offer: z
    .object({
      recommended_plan_id: z.string(),
      order: z.array(z.string()),
      pricing_version: z.string(),
      experiments: z.array(z.object({ experiment: z.string(), variant: z.string() })).describe('The variants this visitor is assigned'),
    })
    .optional()
    .describe('How the dynamic pricing engine ordered the plans, and which rule version priced them'),
});

export type PlansResponse = z.infer<typeof plansResponse>;

/** Response schema for a quote (quoteToJson), for routes that return one. */
export const quoteJsonSchema = z.object({
  id: z.string(),
  plan_id: z.string(),
  amount: z.number().int().describe('Minor units; exactly what is charged at completion (gross = net + tax)'),
  net: z.number().int().describe('Minor units before tax'),
  tax: z.object({
    amount: z.number().int(),
    rate_bp: z.number().int().describe('Basis points: 1900 = 19 %'),
    mode: z.enum(['inclusive', 'exclusive', 'reverse_charge']).describe('inclusive: the list price contains the tax; exclusive: tax is added; reverse_charge: an EU business pays net'),
    country: z.string().nullable(),
    label: z.string().describe('vat, gst, sales_tax, consumption_tax or tax'),
  }),
  vat_id: z.string().nullable(),
  currency: z.string(),
  interval: intervalSchema,
  trial_days: z.number().int(),
  expires_at: z.string(),
  catalog_version: z.string(),
  lines: z.array(
    z.object({
      plan_id: z.string(),
      description_key: z.string(),
      description: z.string(),
      interval: intervalSchema,
      amount: z.number().int(),
      display: z.string(),
      type: z.enum(['plan', 'adjustment', 'discount']).optional().describe('adjustment lines (dynamic pricing) carry a reason; a discount line is a coupon or referral (reason says which); the lines add up to the price tax is applied to'),
      reason: z.string().optional(),
    }),
  ),
  list_amount: z.number().int().optional().describe('The catalogue price before dynamic pricing'),
  display: z.object({ amount: z.string(), net: z.string(), tax: z.string() }),
});
