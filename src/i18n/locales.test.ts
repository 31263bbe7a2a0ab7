import { describe, expect, it } from 'vitest';
import { canonical, resolveLocale } from './locales.js';
import { canonicalLocale } from '../pricing/schemas.js';

describe('canonical', () => {
  it('canonicalizes BCP 47 tags, reads _ as -, and refuses what is not a tag, the same on every call', () => {
    for (let round = 0; round < 2; round++) {
      expect(canonical('de_at')).toBe('de-AT');
      expect(canonical('PT-br')).toBe('pt-BR');
      expect(canonical('not a tag')).toBeUndefined();
      expect(canonical('')).toBeUndefined();
    }
  });

  it('answers tags beyond the ones it keeps as well as the first ones', () => {
    // More distinct tags than the kept answers: later tags are computed each time, and still right.
    const tags = Array.from({ length: 1500 }, (_, i) => `en-x-${i.toString(36).padStart(4, '0')}`);
    for (const t of tags) expect(canonical(t)).toBe(t);
    expect(canonical('EN-gb')).toBe('en-GB');
    expect(canonical('no_such tag')).toBeUndefined();
    expect(resolveLocale('pt-PT')).toBe('pt-BR');
  });

  it('pricing reads de_DE as no tag at all, and otherwise agrees', () => {
    expect(canonicalLocale('de_DE')).toBeUndefined();
    expect(canonicalLocale('de-de')).toBe('de-DE');
    expect(canonicalLocale('x y')).toBeUndefined();
  });
});
