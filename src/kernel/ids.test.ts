import { describe, expect, it } from 'vitest';
import { newId } from './ids.js';

describe('newId', () => {
  it('is prefixed, 26 base32 characters, and unique', () => {
    const ids = new Set(Array.from({ length: 5000 }, () => newId('enr')));
    expect(ids.size).toBe(5000);
    for (const id of ids) expect(id).toMatch(/^enr_[0-9a-hjkmnp-tv-z]{26}$/);
  });

  it('sorts by creation time', () => {
    const a = newId('evt', 1_700_000_000_000);
    const b = newId('evt', 1_700_000_000_001);
    const c = newId('evt', 1_800_000_000_000);
    expect([c, a, b].sort()).toEqual([a, b, c]);
  });
});
