import { describe, expect, it } from 'vitest';
import { addDays, nextAnchoredEnd, periodEnd } from './periods.js';

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

describe('nextAnchoredEnd', () => {
  it('keeps a month-end anchor: Jan 31 → Feb 28 → Mar 31 → Apr 30, and Feb 29 in a leap year', () => {
    const anchor = new Date('2027-01-31T10:00:00.000Z');
    let end = new Date('2027-02-28T10:00:00.000Z');
    const ends = [end.toISOString().slice(0, 10)];
    for (let i = 0; i < 3; i++) {
      end = nextAnchoredEnd(anchor, end, 'month');
      ends.push(end.toISOString().slice(0, 10));
    }
    expect(ends).toEqual(['2027-02-28', '2027-03-31', '2027-04-30', '2027-05-31']);
    const leap = new Date('2028-01-31T00:00:00.000Z');
    expect(nextAnchoredEnd(leap, leap, 'month').toISOString().slice(0, 10)).toBe('2028-02-29');
    expect(nextAnchoredEnd(new Date('2028-02-29T00:00:00.000Z'), new Date('2029-02-28T00:00:00.000Z'), 'year').toISOString().slice(0, 10)).toBe('2030-02-28');
  });
});
