import type { Tx } from '../db/index.js';
import { newId } from '../kernel/ids.js';
import { addDays, periodEnd } from './periods.js';

export interface FirstCycleInput {
  tenantId: string;
  customerId: string;
  enrollmentId: string;
  quote: {
    id: string; planId: string; interval: 'month' | 'year'; currency: string; amount: number; net: number;
    tax: { amount: number; rateBp: number; mode: string; country: string | null; label: string }; vatId: string | null;
    pricing?: { fullAmount: number };
    trialDays: number; catalogVersion: string; lines: unknown;
  };
  /** null for a trial that started without a card. */
  paymentMethodId: string | null;
  gateway: string;
  /** null for a card-less trial: nothing was authorised. */
  charge: { id: string; amount: number; currency: string; kind: 'charge' | 'authorization' } | null;
  now: Date;
}

export interface FirstCycle {
  subscription: { id: string; status: 'active' | 'trialing'; current_period_start: string; current_period_end: string; trial_end: string | null };
  invoice: { id: string; number: string; total: number; currency: string; status: 'paid' };
  /** null when nothing went through the gateway (a card-less trial). */
  paymentId: string | null;
}

/**
 * The subscription, its first billing period, the first invoice and the record
 * of what the gateway did. A trial's first invoice is zero and the card was
 * only authorised (then voided) for the quoted amount; a paid plan's invoice
 * equals the quote and is paid by the capture.
 */
export async function createFirstCycle(tx: Tx, i: FirstCycleInput): Promise<FirstCycle> {
  const trial = i.quote.trialDays > 0;
  const start = i.now;
  const end = trial ? addDays(start, i.quote.trialDays) : periodEnd(start, i.quote.interval);
  const subscriptionId = newId('sub', i.now.getTime());
  const status = trial ? 'trialing' : 'active';
  tx.defer(
    `INSERT INTO subscriptions (id, tenant_id, customer_id, enrollment_id, plan_id, interval, currency, amount, catalog_version, quote_id,
       status, trial_end, current_period_start, current_period_end, payment_method_id, created_at, billing_anchor)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
    // The subscription's price per period is the full one: a coupon is applied per invoice, for its duration.
    [subscriptionId, i.tenantId, i.customerId, i.enrollmentId, i.quote.planId, i.quote.interval, i.quote.currency, i.quote.pricing?.fullAmount ?? i.quote.amount,
      // A trial's anchor is set when it converts: the first paid period starts at the trial's end.
      i.quote.catalogVersion, i.quote.id, status, trial ? end : null, start, end, i.paymentMethodId, i.now, trial ? null : start],
  );
  const total = trial ? 0 : i.quote.amount;
  // The invoice shows what the quote showed: net, the tax (with its rule, or the reverse charge and VAT id), gross.
  const subtotal = trial ? 0 : i.quote.net;
  const taxAmount = trial ? 0 : i.quote.tax.amount;
  const tax = { rate_bp: i.quote.tax.rateBp, mode: i.quote.tax.mode, country: i.quote.tax.country, label: i.quote.tax.label, vat_id: i.quote.vatId };
  const lines = trial
    ? [{ type: 'trial', plan_id: i.quote.planId, days: i.quote.trialDays, amount: 0 }]
    : [{ type: 'subscription', plan_id: i.quote.planId, interval: i.quote.interval, amount: i.quote.amount, quote_lines: i.quote.lines }];
  const invoiceId = newId('inv', i.now.getTime());
  const { rows } = await tx.query<{ number: string }>(
    `INSERT INTO invoices (id, tenant_id, subscription_id, number, currency, subtotal, tax_amount, tax, total, amount_paid, status, lines, period_start, period_end, created_at)
     VALUES ($1, $2, $3, 'INV-' || lpad(nextval('invoice_number_seq')::text, 8, '0'), $4, $10, $11, $12, $5, $5, 'paid', $6, $7, $8, $9)
     RETURNING number`,
    [invoiceId, i.tenantId, subscriptionId, i.quote.currency, total, JSON.stringify(lines), start, end, i.now, subtotal, taxAmount, JSON.stringify(tax)],
  );
  const paymentId = i.charge ? newId('pay', i.now.getTime()) : null;
  // A trial's card check is an authorisation of the quoted amount that the gateway voids at once:
  // recorded as such, so it never reads as money received against the zero invoice.
  if (i.charge) {
    tx.defer(
      `INSERT INTO payments (id, tenant_id, invoice_id, kind, gateway, gateway_reference, amount, currency, status, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [paymentId, i.tenantId, invoiceId, i.charge.kind, i.gateway, i.charge.id, i.charge.amount, i.charge.currency, i.charge.kind === 'authorization' ? 'voided' : 'succeeded', i.now],
    );
  }
  return {
    subscription: { id: subscriptionId, status, current_period_start: start.toISOString(), current_period_end: end.toISOString(), trial_end: trial ? end.toISOString() : null },
    invoice: { id: invoiceId, number: rows[0].number, total, currency: i.quote.currency, status: 'paid' },
    paymentId,
  };
}
