import { describe, expect, it } from 'vitest';
import { isAppError } from '../kernel/errors.js';
import { applyTax } from './apply-tax.js';
import { pricingErrors } from './errors.js';
import { loadTaxRules } from './tax-rules.js';

const rules = loadTaxRules();
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return isAppError(err) ? { code: err.code, fields: err.fields } : err;
  }
};

describe('applyTax: net, tax and gross per country', () => {
  it('takes the tax out of an inclusive German price (19 %)', () => {
    expect(applyTax(rules, 1900, { country: 'DE' })).toMatchObject({ gross: 1900, net: 1597, tax: 303, rateBp: 1900, mode: 'inclusive', label: 'vat' });
  });

  it('adds tax on top of an exclusive price (Canada 5 % GST), and none in the US', () => {
    expect(applyTax(rules, 2200, { country: 'CA' })).toMatchObject({ gross: 2310, net: 2200, tax: 110, mode: 'exclusive' });
    expect(applyTax(rules, 2200, { country: 'US' })).toMatchObject({ gross: 2200, net: 2200, tax: 0, mode: 'exclusive', label: 'sales_tax' });
  });

  it('handles zero- and three-decimal currencies in minor units (JPY inclusive, KWD none)', () => {
    expect(applyTax(rules, 2900, { country: 'JP' })).toMatchObject({ gross: 2900, net: 2636, tax: 264 });
    expect(applyTax(rules, 6500, { country: 'KW' })).toMatchObject({ gross: 6500, net: 6500, tax: 0 });
    expect(applyTax(rules, 169900, { country: 'IN' })).toMatchObject({ gross: 169900, net: 143983, tax: 25917, label: 'gst' });
  });

  it('applies the reverse charge to an EU business in another member state: it pays net', () => {
    expect(applyTax(rules, 1900, { country: 'FR', vatId: 'FR 40 303 265 045' })).toMatchObject({
      gross: 1583, net: 1583, tax: 0, rateBp: 0, mode: 'reverse_charge', vatId: 'FR40303265045',
    });
  });

  it('charges VAT to a business in our own country (no reverse charge at home)', () => {
    expect(applyTax(rules, 1900, { country: 'DE', vatId: 'DE136695976' })).toMatchObject({ gross: 1900, tax: 303, mode: 'inclusive', vatId: 'DE136695976' });
  });

  it('refuses a malformed VAT id, one of another country, and one outside the EU', () => {
    expect(codeOf(() => applyTax(rules, 1900, { country: 'FR', vatId: 'FR123' }))).toEqual({ code: pricingErrors.pricing_vat_id_invalid.code, fields: { vat_id: ['invalid_format'] } });
    expect(codeOf(() => applyTax(rules, 1900, { country: 'FR', vatId: 'DE136695976' }))).toEqual({ code: 'pricing_vat_id_invalid', fields: { vat_id: ['invalid_format'] } });
    expect(codeOf(() => applyTax(rules, 1900, { country: 'DE', vatId: 'DE136695977' }))).toEqual({ code: 'pricing_vat_id_invalid', fields: { vat_id: ['invalid_format'] } });
    expect(codeOf(() => applyTax(rules, 2200, { country: 'US', vatId: 'DE136695976' }))).toEqual({ code: 'pricing_vat_id_invalid', fields: { vat_id: ['unsupported_country'] } });
  });

  it('always adds up: net + tax = gross, for every country and many amounts', () => {
    for (const country of [...Object.keys(rules.countries), 'ZZ']) {
      for (let amount = 0; amount < 200_000; amount += 997) {
        const t = applyTax(rules, amount, { country });
        expect(t.net + t.tax).toBe(t.gross);
        expect(t.tax).toBeGreaterThanOrEqual(0);
        expect(Number.isInteger(t.net) && Number.isInteger(t.tax)).toBe(true);
      }
    }
  });
});
