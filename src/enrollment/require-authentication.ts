import { recordEvent } from '../audit/index.js';
import type { Deps } from '../deps.js';
import { authenticationRequiredError, type ActionRequired } from '../payments/index.js';
import type { FlowContext } from './context.js';
import type { Enrollment } from './repository.js';

/**
 * The issuer wants the cardholder (3-D Secure) before it answers: nothing was
 * charged and nothing about the enrollment changes, so its next completion
 * computes the same gateway key and confirms this very payment once the
 * challenge is answered. Answered as 402 payment_authentication_required with
 * `next_action`; the challenge page runs on the gateway's origin, told which
 * parent to report to (the calling app origin when it is one of ours).
 */
export async function authenticationRequired(deps: Pick<Deps, 'db' | 'config'>, e: Enrollment, charge: ActionRequired, ctx: FlowContext) {
  await deps.db.transaction((tx) =>
    recordEvent(tx, {
      action: 'payment.authentication_requested', actor: ctx.actor, channel: ctx.channel, requestId: ctx.requestId,
      subject: { type: 'enrollment', id: e.id }, data: { gateway_reference: charge.id, payment_method_id: e.payment_method?.id, amount: charge.amount, currency: charge.currency },
    }),
  );
  return authenticationRequiredError(charge, { appOrigins: deps.config.appOrigins, origin: ctx.origin, locale: e.locale });
}
