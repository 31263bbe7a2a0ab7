import type { Queryable, Tx } from '../db/index.js';
import type { Quote, QuoteLine } from './types.js';

export interface QuoteRow {
  id: string;
  enrollment_id: string;
  plan_id: string;
  interval: Quote['interval'];
  currency: string;
  amount: number;
  trial_days: number;
  catalog_version: string;
  locale: string;
  lines: QuoteLine[] | string;
  signature: string;
  net_amount: number | string;
  tax_amount: number | string;
  tax_rate_bp: number;
  tax_mode: Quote['tax']['mode'];
  tax_country: string | null;
  tax_label: string;
  vat_id: string | null;
  list_amount: number | string | null;
  pricing: (Omit<Quote['pricing'], 'listAmount'>) | string | null;
  expires_at: Date | string;
  created_at: Date | string;
}

export async function insertQuote(tx: Tx, q: Quote): Promise<void> {
  tx.defer(
    `INSERT INTO quotes (id, enrollment_id, plan_id, interval, currency, amount, trial_days, catalog_version, locale, lines, signature, expires_at, created_at,
                         net_amount, tax_amount, tax_rate_bp, tax_mode, tax_country, tax_label, vat_id, list_amount, pricing)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22::jsonb)`,
    [
      q.id, q.enrollmentId, q.planId, q.interval, q.currency, q.amount, q.trialDays, q.catalogVersion, q.locale, JSON.stringify(q.lines), q.signature,
      q.expiresAt.toISOString(), q.createdAt.toISOString(), q.net, q.tax.amount, q.tax.rateBp, q.tax.mode, q.tax.country, q.tax.label, q.vatId,
      q.pricing.listAmount, JSON.stringify({ rulesVersion: q.pricing.rulesVersion, signals: q.pricing.signals, visitorId: q.pricing.visitorId, assignments: q.pricing.assignments, fullAmount: q.pricing.fullAmount }),
    ],
  );
}

/** A stored quote by id, or null. Verify it (verifyQuote) before trusting its amount. */
export async function getQuote(db: Queryable, id: string): Promise<Quote | null> {
  const { rows } = await db.query<QuoteRow>('SELECT * FROM quotes WHERE id = $1', [id]);
  return rows[0] ? fromRow(rows[0]) : null;
}

/** A quote as stored; exported for the what-if replay, which reads quotes in bulk. */
export function fromRow(r: QuoteRow): Quote {
  const lines: QuoteLine[] = typeof r.lines === 'string' ? JSON.parse(r.lines) : r.lines;
  const pricing = typeof r.pricing === 'string' ? JSON.parse(r.pricing) : r.pricing;
  return {
    id: r.id,
    enrollmentId: r.enrollment_id,
    planId: r.plan_id,
    interval: r.interval,
    currency: r.currency,
    amount: Number(r.amount),
    trialDays: r.trial_days,
    catalogVersion: r.catalog_version,
    locale: r.locale,
    lines,
    // Quotes from before migration 014 were sold at list: their plan line is the list price.
    pricing: {
      listAmount: r.list_amount != null ? Number(r.list_amount) : lines.filter((l) => (l.type ?? 'plan') === 'plan').reduce((s, l) => s + l.amount, 0),
      rulesVersion: pricing?.rulesVersion ?? null,
      signals: pricing?.signals ?? {},
      visitorId: pricing?.visitorId ?? null,
      assignments: pricing?.assignments ?? [],
      fullAmount: Number(pricing?.fullAmount ?? r.amount),
    },
    signature: r.signature,
    net: Number(r.net_amount),
    tax: { amount: Number(r.tax_amount), rateBp: r.tax_rate_bp, mode: r.tax_mode, country: r.tax_country, label: r.tax_label },
    vatId: r.vat_id,
    expiresAt: new Date(r.expires_at),
    createdAt: new Date(r.created_at),
  };
}
