import type { QuoteLine } from '../pricing/index.js';

/** The coupon a quote was priced with, read from its signed discount line (`coupon.<CODE>`), and the amount it took off. */
export function couponOfQuote(lines: readonly QuoteLine[]): { code: string; amountOff: number } | null {
  const line = lines.find((l) => l.description_key.startsWith('coupon.'));
  return line ? { code: line.description_key.slice('coupon.'.length), amountOff: -line.amount } : null;
}

/** The referral code a quote was priced with (`referral.<CODE>` line), and the referee's discount. */
export function referralOfQuote(lines: readonly QuoteLine[]): { code: string; amountOff: number } | null {
  const line = lines.find((l) => l.description_key.startsWith('referral.'));
  return line ? { code: line.description_key.slice('referral.'.length), amountOff: -line.amount } : null;
}
