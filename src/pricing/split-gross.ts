import type { Quote } from './types.js';

/**
 * The tax inside a gross amount charged later under a sold quote's treatment
 * (renewals, trial conversion, proration, dunning recovery): same rule, rate and
 * mode as the first invoice. The quote's own gross splits exactly as quoted;
 * any other gross (a coupon, a proration) has its tax taken out, rounded
 * half-up, so net + tax = gross always. Reverse charge: no tax.
 */
export function splitGross(gross: number, quote: Pick<Quote, 'amount' | 'net' | 'tax' | 'vatId'>) {
  const tax = { rate_bp: quote.tax.rateBp, mode: quote.tax.mode, country: quote.tax.country, label: quote.tax.label, vat_id: quote.vatId };
  if (gross === quote.amount) return { net: quote.net, taxAmount: quote.tax.amount, tax };
  if (quote.tax.mode === 'reverse_charge' || quote.tax.rateBp === 0) return { net: gross, taxAmount: 0, tax };
  const t = Math.round((gross * quote.tax.rateBp) / (10_000 + quote.tax.rateBp));
  return { net: gross - t, taxAmount: t, tax };
}
