import { describe, expect, it } from 'vitest';
import { splitGross } from './split-gross.js';

const quote = (mode: 'inclusive' | 'exclusive' | 'reverse_charge', rateBp: number, amount: number, net: number) => ({
  amount, net, vatId: mode === 'reverse_charge' ? 'FR40303265045' : null,
  tax: { amount: amount - net, rateBp, mode, country: 'DE', label: 'vat' },
});

describe('splitGross: the tax of a later invoice under the sold quote', () => {
  it('splits the quote\'s own gross exactly as quoted (exclusive included)', () => {
    expect(splitGross(1050, quote('exclusive', 500, 1050, 1000))).toMatchObject({ net: 1000, taxAmount: 50, tax: { rate_bp: 500, mode: 'exclusive' } });
    expect(splitGross(1900, quote('inclusive', 1900, 1900, 1597))).toMatchObject({ net: 1597, taxAmount: 303 });
  });

  it('takes the tax out of another gross (a coupon, a proration), half-up, with net + tax = gross', () => {
    const q = quote('inclusive', 1900, 1900, 1597);
    for (const gross of [1, 7, 950, 1234, 99_999]) {
      const s = splitGross(gross, q);
      expect(s.net + s.taxAmount).toBe(gross);
      expect(s.taxAmount).toBe(Math.round((gross * 1900) / 11_900));
    }
  });

  it('a reverse-charged or untaxed sale has no tax, and keeps its mode and VAT id', () => {
    expect(splitGross(800, quote('reverse_charge', 0, 1597, 1597))).toEqual({ net: 800, taxAmount: 0, tax: { rate_bp: 0, mode: 'reverse_charge', country: 'DE', label: 'vat', vat_id: 'FR40303265045' } });
    expect(splitGross(800, quote('exclusive', 0, 1000, 1000))).toMatchObject({ net: 800, taxAmount: 0 });
  });
});
