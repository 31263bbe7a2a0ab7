import type { Queryable } from '../db/index.js';
import { getQuote, splitGross } from '../pricing/index.js';

export interface SubscriptionSummary {
  id: string;
  plan_id: string;
  status: string;
  interval: string;
  currency: string;
  amount: number;
  current_period_end: Date;
}

export async function listSubscriptions(db: Queryable, tenantId: string): Promise<SubscriptionSummary[]> {
  const { rows } = await db.query<SubscriptionSummary>(
    'SELECT id, plan_id, status, interval, currency, amount, current_period_end FROM subscriptions WHERE tenant_id = $1 ORDER BY created_at',
    [tenantId],
  );
  return rows;
}

/** Whether a gateway charge paid an invoice of ours. */
export async function isRecordedPayment(db: Queryable, gatewayReference: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM payments WHERE gateway_reference = $1', [gatewayReference]);
  return rowCount > 0;
}

export interface SubscriptionRow {
  id: string;
  tenant_id: string;
  customer_id: string;
  enrollment_id: string;
  plan_id: string;
  interval: 'month' | 'year';
  currency: string;
  amount: number;
  status: string;
  current_period_start: Date;
  current_period_end: Date;
  trial_end: Date | null;
  billing_anchor: Date | null;
  discount: { coupon: string; percent_off: number | null; amount_off: Record<string, number> | null; duration: 'once' | 'repeating' | 'forever'; duration_months: number | null } | null;
  /** null for a trial started without a card, until one is added. */
  payment_method_id: string | null;
  quote_id: string;
  scheduled_change: Record<string, unknown> | null;
}

export async function findSubscription(db: Queryable, id: string, forUpdate = false): Promise<SubscriptionRow | null> {
  const { rows } = await db.query<SubscriptionRow>(
    `SELECT id, tenant_id, customer_id, enrollment_id, plan_id, interval, currency, amount, status, current_period_start, current_period_end, trial_end, billing_anchor, discount, payment_method_id, quote_id, scheduled_change
       FROM subscriptions WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}

/** Compare-and-set on the current payment method: of two concurrent changes, the second sees a conflict. */
export async function swapPaymentMethod(db: Queryable, id: string, from: string | null, to: string): Promise<boolean> {
  // IS NOT DISTINCT FROM: a card-less trial's first card replaces "none".
  const { rowCount } = await db.query(`UPDATE subscriptions SET payment_method_id = $3 WHERE id = $1 AND payment_method_id IS NOT DISTINCT FROM $2`, [id, from, to]);
  return rowCount === 1;
}

export async function setScheduledChange(db: Queryable, id: string, change: Record<string, unknown> | null): Promise<void> {
  await db.query(`UPDATE subscriptions SET scheduled_change = $2 WHERE id = $1`, [id, change ? JSON.stringify(change) : null]);
}

/** Switch the plan now; with a new period when the interval changes. A pending scheduled change is dropped. */
export async function switchPlan(
  db: Queryable,
  s: { id: string; planId: string; interval: string; amount: number; quoteId: string; catalogVersion: string; period: { start: Date; end: Date } | null },
) {
  await db.query(
    `UPDATE subscriptions SET plan_id = $2, interval = $3, amount = $4, quote_id = $5, catalog_version = $6, scheduled_change = NULL,
            current_period_start = COALESCE($7, current_period_start), current_period_end = COALESCE($8, current_period_end)
      WHERE id = $1`,
    [s.id, s.planId, s.interval, s.amount, s.quoteId, s.catalogVersion, s.period?.start ?? null, s.period?.end ?? null],
  );
}

export interface ChangeRow {
  id: string;
  subscription_id: string;
  quote_id: string;
  direction: 'upgrade' | 'downgrade' | 'interval_change';
  effective: 'immediate' | 'period_end';
  effective_at: Date;
  from_plan_id: string;
  from_interval: string;
  from_period_end: Date;
  proration_credit: number;
  proration_charge: number;
  amount_due: number;
  currency: string;
  signature: string;
  expires_at: Date;
  applied_at: Date | null;
  created_at: Date;
}

export async function insertChange(db: Queryable, c: Omit<ChangeRow, 'applied_at'>) {
  await db.query(
    `INSERT INTO subscription_changes (id, subscription_id, quote_id, direction, effective, effective_at, from_plan_id, from_interval, from_period_end,
       proration_credit, proration_charge, amount_due, currency, signature, expires_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
    [c.id, c.subscription_id, c.quote_id, c.direction, c.effective, c.effective_at, c.from_plan_id, c.from_interval, c.from_period_end,
      c.proration_credit, c.proration_charge, c.amount_due, c.currency, c.signature, c.expires_at, c.created_at],
  );
}

export async function findChange(db: Queryable, id: string): Promise<ChangeRow | null> {
  const { rows } = await db.query<ChangeRow>(`SELECT * FROM subscription_changes WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

export async function markChangeApplied(db: Queryable, id: string, now: Date): Promise<boolean> {
  const { rowCount } = await db.query(`UPDATE subscription_changes SET applied_at = $2 WHERE id = $1 AND applied_at IS NULL`, [id, now]);
  return rowCount === 1;
}

/** A paid invoice after the first (trial conversion, renewal, dunning recovery, proration) with the payment that paid it. */
export async function insertPaidInvoice(
  db: Queryable,
  i: {
    id: string; paymentId: string; tenantId: string; subscriptionId: string; currency: string; amount: number; lines: unknown[]; periodStart: Date; periodEnd: Date; gateway: string; chargeId: string; now: Date;
    /** The quote whose tax treatment the invoice follows (the sold one, or a plan change's). */
    taxQuoteId: string;
  },
) {
  const quote = await getQuote(db, i.taxQuoteId);
  if (!quote) throw new Error(`quote ${i.taxQuoteId} not found for invoice ${i.id}`);
  // Like the first invoice: net, the tax with its rule, and the gross that was charged.
  const split = splitGross(i.amount, quote);
  await db.query(
    `INSERT INTO invoices (id, tenant_id, subscription_id, number, currency, subtotal, tax_amount, tax, total, amount_paid, status, lines, period_start, period_end, created_at)
     VALUES ($1, $2, $3, 'INV-' || lpad(nextval('invoice_number_seq')::text, 8, '0'), $4, $10, $11, $12, $5, $5, 'paid', $6, $7, $8, $9)`,
    [i.id, i.tenantId, i.subscriptionId, i.currency, i.amount, JSON.stringify(i.lines), i.periodStart, i.periodEnd, i.now, split.net, split.taxAmount, JSON.stringify(split.tax)],
  );
  await db.query(
    `INSERT INTO payments (id, tenant_id, invoice_id, kind, gateway, gateway_reference, amount, currency, status, created_at)
     VALUES ($1, $2, $3, 'charge', $4, $5, $6, $7, 'succeeded', $8)`,
    [i.paymentId, i.tenantId, i.id, i.gateway, i.chargeId, i.amount, i.currency, i.now],
  );
}

/** End a trial: the first paid period starts where the trial ended (or the trial ends in the configured state). */
export async function endTrial(db: Queryable, s: { id: string; status: 'active' | 'past_due' | 'paused' | 'canceled'; period: { start: Date; end: Date } | null }): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE subscriptions SET status = $2, current_period_start = COALESCE($3, current_period_start), current_period_end = COALESCE($4, current_period_end),
            billing_anchor = COALESCE($3, billing_anchor)
      WHERE id = $1 AND status = 'trialing'`,
    [s.id, s.status, s.period?.start ?? null, s.period?.end ?? null],
  );
  return rowCount === 1;
}

/**
 * Move a subscription into its next period, only if it is still in the period
 * this renewal was computed for (a second run of the same job changes nothing).
 */
export async function advancePeriod(
  db: Queryable,
  r: {
    id: string; fromEnd: Date; toEnd: Date; planId: string; interval: string; amount: number; quoteId: string; anchor: Date; clearScheduled: boolean;
    fromStatus: 'active' | 'past_due';
    /** The plan the renewal was priced from: a change applied meanwhile makes this a no-op instead of undoing it. */
    was: { planId: string; interval: string; amount: number };
  },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE subscriptions SET current_period_start = current_period_end, current_period_end = $3, plan_id = $4, interval = $5, amount = $6, quote_id = $7,
            billing_anchor = $8, scheduled_change = CASE WHEN $9 THEN NULL ELSE scheduled_change END, status = 'active'
      WHERE id = $1 AND current_period_end = $2 AND status = $10 AND plan_id = $11 AND interval = $12 AND amount = $13`,
    [r.id, r.fromEnd, r.toEnd, r.planId, r.interval, r.amount, r.quoteId, r.anchor, r.clearScheduled, r.fromStatus, r.was.planId, r.was.interval, r.was.amount],
  );
  return rowCount === 1;
}

export async function setStatus(db: Queryable, id: string, from: string, to: string): Promise<boolean> {
  const { rowCount } = await db.query(`UPDATE subscriptions SET status = $3 WHERE id = $1 AND status = $2`, [id, from, to]);
  return rowCount === 1;
}

/**
 * What one invoice took for the whole current period, or null when that is not
 * a single clean number (no invoice yet, or a change already prorated it).
 */
export async function paidForPeriod(db: Queryable, subscriptionId: string, start: Date, end: Date): Promise<number | null> {
  const { rows } = await db.query<{ n: number; paid: string | number | null }>(
    `SELECT count(*)::int AS n, max(total) FILTER (WHERE period_start = $2) AS paid
       FROM invoices WHERE subscription_id = $1 AND status = 'paid' AND period_end = $3 AND period_start >= $2`,
    [subscriptionId, start, end],
  );
  return rows[0]?.n === 1 && rows[0].paid !== null ? Number(rows[0].paid) : null;
}
