import type { QuoteLine } from '../pricing/index.js';

/**
 * The coupon or referral a quote was priced with, read from its signed
 * discount line (`coupon.<CODE>` or `referral.<CODE>`), and the amount it took off.
 */
export function discountOfQuote(lines: readonly QuoteLine[], kind: 'coupon' | 'referral'): { code: string; amountOff: number } | null {
  const prefix = `${kind}.`;
  const line = lines.find((l) => l.description_key.startsWith(prefix));
  return line ? { code: line.description_key.slice(prefix.length), amountOff: -line.amount } : null;
}
