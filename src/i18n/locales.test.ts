import { describe, expect, it } from 'vitest';
import { canonical, resolveLocale } from './locales.js';

describe('canonical', () => {
  it('canonicalizes BCP 47 tags, reads _ as -, and refuses what is not a tag, the same on every call', () => {
    for (let round = 0; round < 2; round++) {
      expect(canonical('de_at')).toBe('de-AT');
      expect(canonical('PT-br')).toBe('pt-BR');
      expect(canonical('not a tag')).toBeUndefined();
      expect(canonical('')).toBeUndefined();
    }
  });

  it('keeps answers for at most 1000 valid tags of usual length, and still answers every other tag right', () => {
    // Tags arrive from clients: junk and long tags take no slot, and the kept answers stop at 1000.
    // Other test files in this worker may have filled some slots already: count from here.
    const before = canonical.size;
    const long = `en-x-${'a1b2c3d4-'.repeat(5)}z`;
    expect(canonical(long)).toBe(long);
    for (let i = 0; i < 50; i++) expect(canonical(`junk ${i}`)).toBeUndefined();
    expect(canonical.size).toBe(before);
    const tags = Array.from({ length: 1500 }, (_, i) => `en-x-${i.toString(36).padStart(4, '0')}`);
    for (const t of tags) expect(canonical(t)).toBe(t);
    expect(canonical.size).toBe(1000);
    expect(canonical('EN-gb')).toBe('en-GB');
    expect(canonical('no_such tag')).toBeUndefined();
    expect(resolveLocale('pt-PT')).toBe('pt-BR');
  });
});
