import { checkVAT, countries } from 'jsvat';
import { pricingErrors } from './errors.js';
import { taxRuleFor, type TaxRules } from './tax-rules.js';

export type TaxMode = 'inclusive' | 'exclusive' | 'reverse_charge';

export interface TaxBreakdown {
  /** What the customer is charged: net + tax. */
  gross: number;
  net: number;
  tax: number;
  rateBp: number;
  mode: TaxMode;
  country: string | null;
  label: string;
  vatId: string | null;
}

/**
 * Turn a list price into net, tax and gross for a country. The list price is
 * what the customer saw: tax-inclusive countries (EU, GB, JP…) show gross
 * prices, exclusive ones (US…) show net and add tax. An EU business with a
 * well-formed VAT id in another member state than ours pays net under the
 * reverse charge (the VAT id's format and check digits are validated; a live
 * VIES lookup is not possible offline). All integer minor units; the tax part
 * of an inclusive price is rounded half-up, and net is what remains, so
 * net + tax = gross always.
 */
export function applyTax(rules: TaxRules, listAmount: number, input: { country?: string; vatId?: string }): TaxBreakdown {
  const rule = taxRuleFor(rules, input.country);
  const vatId = input.vatId ? normalizeVatId(input.vatId) : null;
  if (vatId) {
    if (!rule.eu) throw pricingErrors.pricing_vat_id_invalid({ fields: { vat_id: ['unsupported_country'] } });
    const check = checkVAT(vatId, countries);
    if (!check.isValid || check.country?.isoCode.short !== input.country) {
      throw pricingErrors.pricing_vat_id_invalid({ fields: { vat_id: ['invalid_format'] } });
    }
  }
  const includedTax = (gross: number) => Math.round((gross * rule.rate_bp) / (10_000 + rule.rate_bp));
  const base = { rateBp: rule.rate_bp, country: rule.country, label: rule.label, vatId };
  if (vatId && rule.country !== rules.seller_country) {
    const net = rule.display === 'inclusive' ? listAmount - includedTax(listAmount) : listAmount;
    return { ...base, gross: net, net, tax: 0, rateBp: 0, mode: 'reverse_charge' };
  }
  if (rule.display === 'inclusive') {
    const tax = includedTax(listAmount);
    return { ...base, gross: listAmount, net: listAmount - tax, tax, mode: 'inclusive' };
  }
  const tax = Math.round((listAmount * rule.rate_bp) / 10_000);
  return { ...base, gross: listAmount + tax, net: listAmount, tax, mode: 'exclusive' };
}

/** "de 123 456 789" → "DE123456789". */
export function normalizeVatId(raw: string): string {
  return raw.replace(/[\s.-]/g, '').toUpperCase();
}
