import { hmac } from '../kernel/crypto.js';
import type { Quote } from './types.js';

/**
 * The exact bytes the HMAC covers. A JSON array, not a joined string, so no
 * field can smuggle a delimiter; lines are reduced to fixed-order tuples
 * because jsonb does not keep object key order.
 */
export function quoteSigningPayload(q: Omit<Quote, 'signature' | 'createdAt' | 'locale'>): string {
  return JSON.stringify([
    'quote.v3',
    q.id,
    q.enrollmentId,
    q.planId,
    q.interval,
    q.currency,
    q.amount,
    q.trialDays,
    q.catalogVersion,
    q.expiresAt.toISOString(),
    // v3: adjustment lines (type, reason) and the list price and rule version they came from.
    q.lines.map((l) => [l.type ?? 'plan', l.reason ?? null, l.plan_id, l.description_key, l.interval, l.amount]),
    q.net,
    [q.tax.amount, q.tax.rateBp, q.tax.mode, q.tax.country, q.tax.label],
    q.vatId,
    q.pricing.listAmount,
    q.pricing.rulesVersion,
    q.pricing.fullAmount,
  ]);
}

export function signQuote(q: Omit<Quote, 'signature' | 'createdAt' | 'locale'>, signingKey: Buffer): string {
  return hmac(signingKey, quoteSigningPayload(q));
}
