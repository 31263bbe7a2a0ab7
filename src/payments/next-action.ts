import type { ActionRequired } from './gateway.js';
import { declineError } from './decline-advice.js';

/**
 * A customer-present payment waits for the cardholder (3-D Secure): 402 payment_authentication_required with
 * `next_action`. The sandbox's challenge page runs on the gateway's origin, told which parent to report to
 * (the calling app origin when it is one of ours, else the first) and in which language to ask.
 */
export function authenticationRequiredError(charge: ActionRequired, at: { appOrigins: readonly string[]; origin?: string; locale: string }) {
  const parent = at.origin && at.appOrigins.includes(at.origin) ? at.origin : at.appOrigins[0]!;
  const { challengeId, url, clientSecret } = charge.nextAction;
  const next_action = {
    type: 'three_d_secure' as const,
    challenge_id: challengeId,
    ...(url ? { url: `${url}?${new URLSearchParams({ parent_origin: parent, locale: at.locale })}` } : {}),
    ...(clientSecret ? { client_secret: clientSecret } : {}),
  };
  return declineError('authentication_required', { next_action });
}
