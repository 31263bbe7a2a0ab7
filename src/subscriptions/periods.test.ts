import { describe, expect, it } from 'vitest';
import { addDays, periodEnd } from './periods.js';

const at = (s: string) => new Date(s);

describe('billing periods', () => {
  it.each([
    ['2026-01-15T10:00:00.000Z', 'month', '2026-02-15T10:00:00.000Z'],
    ['2026-01-31T10:00:00.000Z', 'month', '2026-02-28T10:00:00.000Z'],
    ['2028-01-31T10:00:00.000Z', 'month', '2028-02-29T10:00:00.000Z'],
    ['2026-03-31T00:00:00.000Z', 'month', '2026-04-30T00:00:00.000Z'],
    ['2026-12-31T23:59:59.000Z', 'month', '2027-01-31T23:59:59.000Z'],
    ['2028-02-29T12:00:00.000Z', 'year', '2029-02-28T12:00:00.000Z'],
    ['2026-11-25T08:00:00.000Z', 'year', '2027-11-25T08:00:00.000Z'],
  ] as const)('%s + 1 %s = %s', (start, interval, end) => {
    expect(periodEnd(at(start), interval).toISOString()).toBe(end);
  });

  it('adds trial days exactly', () => {
    expect(addDays(at('2026-11-25T08:00:00.000Z'), 14).toISOString()).toBe('2026-12-09T08:00:00.000Z');
  });
});
