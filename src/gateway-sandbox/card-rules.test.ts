import { describe, expect, it } from 'vitest';
import { cvcValid, detectBrand, isExpired, luhnValid, normalizePan, panValid, TEST_CARDS, testCardOutcome } from './card-rules.js';

describe('card rules', () => {
  it('checks Luhn', () => {
    expect(luhnValid('4242424242424242')).toBe(true);
    expect(luhnValid('4242424242424241')).toBe(false);
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('4242a24242424242')).toBe(false);
  });

  it.each([
    ['4242424242424242', 'visa'],
    ['4000056655665556', 'visa'],
    ['5555555555554444', 'mastercard'],
    ['2223003122003222', 'mastercard'],
    ['378282246310005', 'amex'],
    ['371449635398431', 'amex'],
    ['6011111111111117', 'discover'],
    ['6445644564456445', 'discover'],
    ['3056930009020004', 'diners'],
    ['36227206271667', 'diners'],
    ['3566002020360505', 'jcb'],
    ['6200000000000005', 'unionpay'],
  ])('detects %s as %s and accepts it', (pan, brand) => {
    expect(detectBrand(pan)).toBe(brand);
    expect(panValid(pan)).toBe(true);
  });

  it('rejects wrong lengths, non-digits and Luhn failures', () => {
    expect(panValid('424242424242424')).toBe(false); // 15-digit visa
    expect(panValid('37828224631000')).toBe(false);
    expect(panValid('42424242')).toBe(false);
    expect(panValid('4242424242424241')).toBe(false);
    expect(panValid('')).toBe(false);
  });

  it('strips spaces and dashes only', () => {
    expect(normalizePan(' 4242 4242-4242 4242 ')).toBe('4242424242424242');
    expect(normalizePan('4242.4242')).toBe('4242.4242');
  });

  it('wants a 4-digit CVC for amex and 3–4 digits otherwise', () => {
    expect(cvcValid('1234', 'amex')).toBe(true);
    expect(cvcValid('123', 'amex')).toBe(false);
    expect(cvcValid('123', 'visa')).toBe(true);
    expect(cvcValid('12', 'visa')).toBe(false);
    expect(cvcValid('12a', 'visa')).toBe(false);
    expect(cvcValid('12345', 'visa')).toBe(false);
  });

  it('treats a card as valid through the end of its expiry month (UTC)', () => {
    const now = new Date('2026-03-31T23:59:59Z');
    expect(isExpired(3, 2026, now)).toBe(false);
    expect(isExpired(2, 2026, now)).toBe(true);
    expect(isExpired(12, 2025, now)).toBe(true);
    expect(isExpired(1, 2027, now)).toBe(false);
    expect(isExpired(3, 2026, new Date('2026-04-01T00:00:00Z'))).toBe(true);
  });

  it("maps Stripe's test cards to their outcomes; other numbers succeed", () => {
    expect(testCardOutcome(TEST_CARDS.success)).toEqual({ ok: true });
    expect(testCardOutcome('5555555555554444')).toEqual({ ok: true });
    expect(testCardOutcome('4000000000000002')).toEqual({ ok: false, declineCode: 'generic_decline' });
    expect(testCardOutcome('4000000000009995')).toEqual({ ok: false, declineCode: 'insufficient_funds' });
    expect(testCardOutcome('4000000000000069')).toEqual({ ok: false, declineCode: 'expired_card' });
    expect(testCardOutcome('4000000000000127')).toEqual({ ok: false, declineCode: 'incorrect_cvc' });
    expect(testCardOutcome('4000000000000119')).toEqual({ ok: false, declineCode: 'processing_error' });
    for (const pan of Object.values(TEST_CARDS)) expect(panValid(pan)).toBe(true);
  });
});
