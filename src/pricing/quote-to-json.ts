import { formatMoney } from '../kernel/money.js';
import type { Quote, QuoteLine } from './types.js';

export interface QuoteJson {
  id: string;
  plan_id: string;
  amount: number;
  net: number;
  tax: { amount: number; rate_bp: number; mode: Quote['tax']['mode']; country: string | null; label: string };
  vat_id: string | null;
  currency: string;
  interval: Quote['interval'];
  trial_days: number;
  expires_at: string;
  catalog_version: string;
  lines: { type?: QuoteLine['type']; reason?: string; plan_id: string; description_key: string; description: string; interval: Quote['interval']; amount: number; display: string }[];
  list_amount: number;
  display: { amount: string; net: string; tax: string };
}

/** The client's view of a quote (no signature: it is a server-side integrity check, not a token). */
export function quoteToJson(q: Quote): QuoteJson {
  return {
    id: q.id,
    plan_id: q.planId,
    amount: q.amount,
    net: q.net,
    tax: { amount: q.tax.amount, rate_bp: q.tax.rateBp, mode: q.tax.mode, country: q.tax.country, label: q.tax.label },
    vat_id: q.vatId,
    currency: q.currency,
    interval: q.interval,
    trial_days: q.trialDays,
    expires_at: q.expiresAt.toISOString(),
    catalog_version: q.catalogVersion,
    lines: q.lines.map((l) => ({ ...l, display: formatMoney(l.amount, q.currency, q.locale) })),
    list_amount: q.pricing.listAmount,
    display: { amount: formatMoney(q.amount, q.currency, q.locale), net: formatMoney(q.net, q.currency, q.locale), tax: formatMoney(q.tax.amount, q.currency, q.locale) },
  };
}
