import Stripe from 'stripe';
import { webhookErrors } from './errors.js';

/** Stripe's default: an event signed more than five minutes ago is refused (a replay of a captured request). */
export const WEBHOOK_TOLERANCE_SECONDS = 300;
/** Clock skew allowed the other way; beyond it a "future" timestamp is refused too, which the SDK does not do. */
export const WEBHOOK_FUTURE_SKEW_SECONDS = 30;

/**
 * Verify a Stripe-Signature header over the raw body with the SDK (HMAC-SHA256,
 * constant-time, any of several v1 signatures), at our clock's time, and
 * refuse timestamps from the future as well as stale ones.
 */
export function verifyStripeEvent(rawBody: string, header: string | undefined, secret: string, now: Date): Stripe.Event {
  if (!header) throw webhookErrors.webhook_signature_invalid({ detail: 'Stripe-Signature is missing' });
  const t = Number(/(?:^|,)t=(\d+)/.exec(header)?.[1]);
  if (!Number.isFinite(t) || t > Math.floor(now.getTime() / 1000) + WEBHOOK_FUTURE_SKEW_SECONDS) {
    throw webhookErrors.webhook_signature_invalid({ detail: 'The timestamp is missing or in the future' });
  }
  try {
    return Stripe.webhooks.constructEvent(rawBody, header, secret, WEBHOOK_TOLERANCE_SECONDS, undefined, now.getTime());
  } catch (err) {
    throw webhookErrors.webhook_signature_invalid({ cause: err });
  }
}
