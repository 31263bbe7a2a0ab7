import { describe, expect, it } from 'vitest';
import { BACKOFF_CAP_MS, backoffCeilingMs, backoffMs } from './backoff.js';

describe('backoff (full jitter)', () => {
  it('stays within [0, ceiling] and never above the 10-minute cap', () => {
    for (let attempt = 1; attempt <= 60; attempt++) {
      for (let i = 0; i < 50; i++) {
        const d = backoffMs(attempt);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(backoffCeilingMs(attempt));
        expect(d).toBeLessThanOrEqual(BACKOFF_CAP_MS);
      }
    }
    expect(backoffMs(1000, { random: () => 0.999999 })).toBeLessThanOrEqual(BACKOFF_CAP_MS);
    expect(backoffMs(3, { random: () => 0 })).toBe(0);
  });

  it('grows exponentially from 1 s until the cap', () => {
    const ceilings = [1, 2, 3, 4, 5, 10, 11, 20].map((a) => backoffCeilingMs(a));
    expect(ceilings).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 512_000, 600_000, 600_000]);
    // The jittered delay grows too, on average.
    const mean = (a: number) => Array.from({ length: 400 }, () => backoffMs(a)).reduce((x, y) => x + y, 0) / 400;
    expect(mean(6)).toBeGreaterThan(mean(2));
  });
});
