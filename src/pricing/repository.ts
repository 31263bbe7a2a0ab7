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
  expires_at: Date | string;
  created_at: Date | string;
}

export async function insertQuote(tx: Tx, q: Quote): Promise<void> {
  await tx.query(
    `INSERT INTO quotes (id, enrollment_id, plan_id, interval, currency, amount, trial_days, catalog_version, locale, lines, signature, expires_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12, $13)`,
    [q.id, q.enrollmentId, q.planId, q.interval, q.currency, q.amount, q.trialDays, q.catalogVersion, q.locale, JSON.stringify(q.lines), q.signature, q.expiresAt.toISOString(), q.createdAt.toISOString()],
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
    expiresAt: new Date(r.expires_at),
    createdAt: new Date(r.created_at),
  };
}
