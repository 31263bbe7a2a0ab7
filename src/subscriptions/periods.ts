/**
 * Calendar arithmetic for billing periods, in UTC. A period anchored on the
 * 31st ends on the last day of a shorter month (Jan 31 → Feb 28/29), and
 * Feb 29 plus a year is Feb 28: the customer is never billed for a day twice.
 */
export function addMonths(d: Date, months: number): Date {
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m, Math.min(d.getUTCDate(), lastDay), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()));
}

export function periodEnd(start: Date, interval: 'month' | 'year'): Date {
  return addMonths(start, interval === 'month' ? 1 : 12);
}

/**
 * The period end after `currentEnd`, counted from the anchor: the anchor plus
 * one more interval than `currentEnd` is, so a 31st stays the 31st whenever
 * the month has one (Jan 31 → Feb 28 → Mar 31).
 */
export function nextAnchoredEnd(anchor: Date, currentEnd: Date, interval: 'month' | 'year'): Date {
  const months = (currentEnd.getUTCFullYear() - anchor.getUTCFullYear()) * 12 + (currentEnd.getUTCMonth() - anchor.getUTCMonth());
  return addMonths(anchor, months + (interval === 'month' ? 1 : 12));
}

export function addDays(d: Date, days: number): Date {
  return new Date(d.getTime() + days * 86_400_000);
}
