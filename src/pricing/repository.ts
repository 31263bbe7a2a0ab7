import type { Queryable, Tx } from '../db/index.js';
import type { Quote, QuoteLine } from './types.js';

interface QuoteRow {
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
  expires_at: Date | string;
  created_at: Date | string;
}

export async function insertQuote(tx: Tx, q: Quote): Promise<void> {
  await tx.query(
    `INSERT INTO quotes (id, enrollment_id, plan_id, interval, currency, amount, trial_days, catalog_version, locale, lines, signature, expires_at, created_at,
                         net_amount, tax_amount, tax_rate_bp, tax_mode, tax_country, tax_label, vat_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)`,
    [
      q.id, q.enrollmentId, q.planId, q.interval, q.currency, q.amount, q.trialDays, q.catalogVersion, q.locale, JSON.stringify(q.lines), q.signature,
      q.expiresAt.toISOString(), q.createdAt.toISOString(), q.net, q.tax.amount, q.tax.rateBp, q.tax.mode, q.tax.country, q.tax.label, q.vatId,
    ],
  );
}

/** A stored quote by id, or null. Verify it (verifyQuote) before trusting its amount. */
export async function getQuote(db: Queryable, id: string): Promise<Quote | null> {
  const { rows } = await db.query<QuoteRow>('SELECT * FROM quotes WHERE id = $1', [id]);
  return rows[0] ? fromRow(rows[0]) : null;
}

function fromRow(r: QuoteRow): Quote {
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
    lines: typeof r.lines === 'string' ? JSON.parse(r.lines) : r.lines,
    signature: r.signature,
    net: Number(r.net_amount),
    tax: { amount: Number(r.tax_amount), rateBp: r.tax_rate_bp, mode: r.tax_mode, country: r.tax_country, label: r.tax_label },
    vatId: r.vat_id,
    expiresAt: new Date(r.expires_at),
    createdAt: new Date(r.created_at),
  };
}
