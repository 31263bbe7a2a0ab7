import { safeEqualHex } from '../kernel/crypto.js';
import { pricingErrors } from './errors.js';
import { signQuote } from './sign-quote.js';
import type { Quote } from './types.js';

/**
 * Check a stored quote before charging it. The signature comes first: a row
 * edited in the database (amount, plan, expiry) is refused as invalid, not
 * merely expired, whatever else is wrong with it.
 */
export function verifyQuote(quote: Quote, opts: { now: Date; signingKey: Buffer }): void {
  if (!safeEqualHex(signQuote(quote, opts.signingKey), quote.signature)) {
    throw pricingErrors.pricing_quote_invalid({ extra: { quote_id: quote.id } });
  }
  if (opts.now.getTime() >= quote.expiresAt.getTime()) {
    throw pricingErrors.pricing_quote_expired({ extra: { quote_id: quote.id, expired_at: quote.expiresAt.toISOString() } });
  }
}
