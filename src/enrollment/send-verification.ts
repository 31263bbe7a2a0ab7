import { recordEvents, type AuditEvent } from '../audit/index.js';
import { findCustomerIdByEmailHash } from '../customers/index.js';
import type { Deps } from '../deps.js';
import { hmac, seal } from '../kernel/crypto.js';
import { checkResend, identityErrors, issueCode, resendLimitedError, smsDestinationRefusal, type CodeChannel } from '../identity/index.js';
import type { AppError } from '../kernel/errors.js';
import { enqueueJob } from '../jobs/index.js';
import { assertCanAdvance } from './advance.js';
import { sendCapReachedEvents, sendRefusedEvent } from './code-audit.js';
import { assertOpenForFactor } from './assert-open-for-factor.js';
import type { FlowContext } from './context.js';
import { enrollmentErrors } from './errors.js';
import { lockEnrollment } from './repository.js';

type SendDeps = Pick<Deps, 'db' | 'keys' | 'vault' | 'worker' | 'sms' | 'config'>;

/**
 * Send a code by email or SMS. If the email address already belongs to a
 * customer, the owner gets an "you already have an account" notice instead,
 * and the response is the same: same status, same shape, the same database
 * work (a code is issued and thrown away), so neither body nor timing tells
 * the caller. Phone numbers are not unique, so an SMS code is simply sent:
 * its response says nothing about existing customers.
 * A refused send (a limit, a number that may not get SMS) is audited: the
 * transaction commits the audit row and the refusal is thrown after it.
 */
export async function sendVerification(deps: SendDeps, id: string, channel: CodeChannel, ctx: FlowContext) {
  const result = await deps.db.transaction(async (tx): Promise<{ refused: AppError } | { sent: { channel: CodeChannel; expires_at: string } }> => {
    // Row lock: parallel sends queue here, so the resend limit and "only the newest code is live" hold on PostgreSQL too.
    const e = await lockEnrollment(tx, id, deps.vault);
    if (!e) throw enrollmentErrors.enrollment_not_found({ extra: { enrollment_id: id } });
    // An SMS code also serves as a second factor the risk engine may ask for, so it may be sent until completion;
    // an email code is only for the verification step.
    if (channel === 'sms') assertOpenForFactor(e, ctx.now, 'send an SMS code');
    else assertCanAdvance(e, 'verify_email', ctx.now);
    if (channel === 'sms' && !deps.sms) throw identityErrors.identity_channel_unsupported({ extra: { channel } });
    const phone = e.profile?.phone;
    if (channel === 'sms' && !phone) throw identityErrors.identity_phone_required({ fields: { phone: ['required'] } });
    if (channel === 'sms') {
      // SMS pumping: premium-rate ranges and far-away countries cost us per text; fixed lines cannot read one.
      const bad = smsDestinationRefusal(phone!, deps.config.smsAllowedCountries);
      if (bad) {
        await recordEvents(tx, [sendRefusedEvent(e.id, channel, { reason: bad }, ctx)]);
        return {
          refused: bad === 'phone_not_mobile'
            ? identityErrors.identity_phone_not_mobile({ fields: { phone: ['not_mobile'] } })
            : identityErrors.identity_phone_country_unsupported({ fields: { phone: ['country_not_allowed'] } }),
        };
      }
    }
    // The profile stores E.164, so one number has one hash whichever way it was typed.
    const destinationHash = hmac(deps.keys.lookup, channel === 'sms' ? phone! : e.email_normalized!);
    // The limits and the address's owner, asked for together (one round trip); a refused send ignores the owner.
    const [limits, existing] = await Promise.all([
      checkResend(tx, { owner: { enrollmentId: e.id }, channel, destinationHash, now: ctx.now }),
      channel === 'email' ? findCustomerIdByEmailHash(tx, e.email_hash!) : null,
    ]);
    if (limits.refusal) {
      await recordEvents(tx, [sendRefusedEvent(e.id, channel, limits.refusal, ctx)]);
      return { refused: resendLimitedError(limits.refusal) };
    }
    const issued = await issueCode(tx, { owner: { enrollmentId: e.id }, channel, destinationHash, key: deps.keys.codes, now: ctx.now });
    if (existing) {
      await enqueueJob(tx, 'send-account-exists-email', { enrollment_id: e.id, verification_id: issued.id });
    } else {
      // The code travels sealed: the outbox row never holds it in clear.
      const type = channel === 'sms' ? 'send-verification-sms' : 'send-verification-email';
      await enqueueJob(tx, type, { enrollment_id: e.id, verification_id: issued.id, sealed_code: seal(deps.keys.sealing, issued.code) });
    }
    const events: AuditEvent[] = [
      {
        action: existing ? 'verification.existing_account_notified' : 'verification.code_sent',
        actor: ctx.actor,
        channel: ctx.channel,
        requestId: ctx.requestId,
        subject: { type: 'enrollment', id: e.id },
        data: { verification_id: issued.id, channel },
      },
      ...sendCapReachedEvents(e.id, channel, limits.capsReachedBySend, ctx),
    ];
    // One statement for every event of the send, whichever path: the SQL is the same for a taken address.
    await recordEvents(tx, events);
    return { sent: { channel, expires_at: issued.expiresAt.toISOString() } };
  });
  if ('refused' in result) throw result.refused;
  deps.worker.nudge();
  return result.sent;
}
