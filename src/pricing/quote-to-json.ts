import { formatMoney } from '../kernel/money.js';
import type { Quote } from './types.js';

export interface QuoteJson {
  id: string;
  plan_id: string;
  amount: number;
  currency: string;
  interval: Quote['interval'];
  trial_days: number;
  expires_at: string;
  catalog_version: string;
  lines: { plan_id: string; description_key: string; description: string; interval: Quote['interval']; amount: number; display: string }[];
  display: { amount: string };
}

/** The client's view of a quote (no signature: it is a server-side integrity check, not a token). */
export function quoteToJson(q: Quote): QuoteJson {
  return {
    id: q.id,
    plan_id: q.planId,
    amount: q.amount,
    currency: q.currency,
    interval: q.interval,
    trial_days: q.trialDays,
    expires_at: q.expiresAt.toISOString(),
    catalog_version: q.catalogVersion,
    lines: q.lines.map((l) => ({ ...l, display: formatMoney(l.amount, q.currency, q.locale) })),
    display: { amount: formatMoney(q.amount, q.currency, q.locale) },
  };
}
