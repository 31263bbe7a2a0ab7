import { describe, expect, it } from 'vitest';
import { normalizeEmail } from './normalize-email.js';

describe('normalizeEmail', () => {
  it('folds case and converts IDN domains to ASCII', () => {
    expect(normalizeEmail(' Anna.Muster@Bücher.DE ')).toEqual({ ok: true, email: 'Anna.Muster@Bücher.DE', normalized: 'anna.muster@xn--bcher-kva.de' });
    expect(normalizeEmail('anna.muster@xn--bcher-kva.de')).toMatchObject({ normalized: 'anna.muster@xn--bcher-kva.de' });
  });

  it('accepts plus addressing and unicode local parts', () => {
    expect(normalizeEmail('a+tag@example.com').ok).toBe(true);
    expect(normalizeEmail('用户@例子.广告').ok).toBe(true);
  });

  it.each(['plain', '@example.com', 'a@', 'a@b', 'a..b@example.com', '.a@example.com', 'a@-x.com', 'a@example.123', 'a b@example.com', '"q"@example.com', `${'x'.repeat(65)}@example.com`])(
    'refuses %s',
    (bad) => {
      expect(normalizeEmail(bad)).toEqual({ ok: false, code: 'invalid_format' });
    },
  );
});
