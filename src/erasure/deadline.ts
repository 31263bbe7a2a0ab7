export type Regime = 'gdpr' | 'ccpa';

/**
 * The statutory answer time: GDPR art. 12(3) one month (a calendar month, the 31st clamped to the last day of a
 * shorter month), CCPA § 1798.130(a)(2) 45 days. Extensions (two more months, 45 more days) need a notice to
 * the person and are not taken automatically.
 */
export function erasureDeadline(regime: Regime, requestedAt: Date): Date {
  if (regime === 'ccpa') return new Date(requestedAt.getTime() + 45 * 86_400_000);
  const d = new Date(requestedAt);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + 1);
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, lastDay));
  return d;
}

/** Without an explicit regime: CCPA for a customer in the US, GDPR otherwise (the stricter deadline is the default). */
export function regimeFor(country: string): Regime {
  return country === 'US' ? 'ccpa' : 'gdpr';
}
