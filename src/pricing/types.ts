import type { TaxMode } from './apply-tax.js';
import type { CatalogFile, Interval } from './schemas.js';

export type { Interval, PlansResponse } from './schemas.js';

/** The loaded, validated, frozen catalogue (config/catalog.json). */
export type Catalog = Readonly<CatalogFile>;
export type Plan = CatalogFile['plans'][number];
export type FeatureValue = Plan['features'][string];
export type LocalizedText = Plan['name'];

export interface QuoteLine {
  /** Absent on quotes from before dynamic pricing: those are all plan lines. */
  type?: 'plan' | 'adjustment' | 'discount';
  /** Adjustment lines: the engine's stable reason code (ppp_discount, campaign_<id>…); discount lines: coupon or referral. */
  reason?: string;
  plan_id: string;
  /** i18n key for clients with their own catalogs: `plan.pro.year`. */
  description_key: string;
  /** The plan name in the quote's locale, for receipts and logs. */
  description: string;
  interval: Interval;
  amount: number;
}

/** A price-locked offer: what is shown is stored, signed, and charged exactly. */
export interface Quote {
  id: string;
  enrollmentId: string;
  planId: string;
  interval: Interval;
  currency: string;
  /** Minor units; the amount charged at completion (gross: net + tax). */
  amount: number;
  /** Minor units before tax. */
  net: number;
  tax: { amount: number; rateBp: number; mode: TaxMode; country: string | null; label: string };
  /** The buyer's VAT id when they gave one (reverse charge or a domestic business). */
  vatId: string | null;
  trialDays: number;
  catalogVersion: string;
  locale: string;
  lines: QuoteLine[];
  /** How the dynamic pricing engine priced it, kept so the what-if command can replay the same inputs. */
  pricing: QuotePricing;
  expiresAt: Date;
  createdAt: Date;
  signature: string;
}

export interface QuotePricing {
  /** The catalogue price before dynamic pricing. */
  listAmount: number;
  /** The rule set version, or null when no engine priced the quote. */
  rulesVersion: string | null;
  signals: { team_size?: number; projects?: number };
  visitorId: string | null;
  assignments: { experiment: string; variant: string }[];
  /** Gross per period without the customer's coupon or referral: what renewals start from. Equals `amount` without one. */
  fullAmount: number;
}
