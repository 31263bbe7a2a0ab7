import { z } from 'zod';
import { intervalSchema, isKnownCurrency } from '../schemas.js';

// ---- the dynamic pricing rules file (config/pricing-rules.json) ----

const slug = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be a snake_case id (it becomes a stable reason code)');
const country = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code');
/** Whole percent off the list price. Only discounts: nothing in this file can raise a price above list. */
const percentOff = z.number().int('must be a whole percent').min(0, 'must not be negative (rules only discount)').max(100, 'must be at most 100');
const instant = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with an offset' });
const planIds = z.array(z.string().min(1)).min(1).optional().describe('Omit for every plan');
const intervals = z.array(intervalSchema).min(1).optional().describe('Omit for both intervals');

const campaign = z
  .object({
    id: slug,
    starts_at: instant,
    ends_at: instant,
    percent_off: percentOff,
    plans: planIds,
    intervals,
    countries: z.array(country).min(1).optional(),
  })
  .strict();

/** A discount for what the customer declares about itself (team size, projects). */
const signalRule = z
  .object({
    id: slug,
    when: z
      .object({
        team_size_min: z.number().int().min(1).optional(),
        team_size_max: z.number().int().min(1).optional(),
        projects_min: z.number().int().min(1).optional(),
      })
      .strict(),
    percent_off: percentOff,
    plans: planIds,
    intervals,
  })
  .strict();

/** What a variant may change: discounts, never guardrails, so no experiment can break the bounds. */
const overlay = {
  ppp: z.record(country, percentOff).optional(),
  campaigns: z.array(campaign).optional(),
  signal_rules: z.array(signalRule).optional(),
};

const experiment = z
  .object({
    id: slug,
    starts_at: instant.optional(),
    ends_at: instant.optional(),
    /** The first variant is the control: visitors without an id, and everyone outside the window, get it. */
    variants: z.array(z.object({ id: slug, weight: z.number().int().min(1).max(10_000), ...overlay }).strict()).min(2, 'must have a control and at least one other variant'),
  })
  .strict();

export const pricingRulesFileSchema = z
  .object({
    $schema: z.string().optional(),
    version: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be a short version label such as 2026-11-25'),
    guardrails: z
      .object({
        max_percent_off: percentOff.describe('The most any combination of rules may take off the list price'),
        floor_percent_of_list: percentOff.describe('Never sell below this share of the list price'),
        floor_minor: z
          .record(z.string().refine(isKnownCurrency, 'is not a known ISO 4217 currency code'), z.number().int('must be integer minor units').min(0))
          .default({})
          .describe('An absolute floor per currency, in minor units (capped at the list price)'),
      })
      .strict(),
    /** Purchasing-power parity: country → percent off. */
    ppp: z.record(country, percentOff).default({}),
    campaigns: z.array(campaign).default([]),
    signal_rules: z.array(signalRule).default([]),
    /** Which catalogue feature limit a declared signal is compared with to recommend a plan. */
    recommend_by: z.object({ team_size: z.string().optional(), projects: z.string().optional() }).strict().default({}),
    experiments: z.array(experiment).default([]),
  })
  .strict();

export type PricingRulesFile = z.output<typeof pricingRulesFileSchema>;
export type PricingRules = Readonly<PricingRulesFile>;
export type Campaign = z.output<typeof campaign>;
export type SignalRule = z.output<typeof signalRule>;
export type Experiment = z.output<typeof experiment>;
export type Variant = Experiment['variants'][number];

export interface Signals {
  team_size?: number;
  projects?: number;
}
