import { describe, expect, it } from 'vitest';
import { canonicalLocale } from './schemas.js';

describe('canonicalLocale', () => {
  it('reads de_DE as no tag at all, and otherwise agrees with i18n', () => {
    expect(canonicalLocale('de_DE')).toBeUndefined();
    expect(canonicalLocale('de-de')).toBe('de-DE');
    expect(canonicalLocale('x y')).toBeUndefined();
  });
});
