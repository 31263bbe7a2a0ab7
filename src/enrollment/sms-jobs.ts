import { recordEvent } from '../audit/index.js';
import type { Deps } from '../deps.js';
import { hmac, open } from '../kernel/crypto.js';
import { CODE_POLICY } from '../identity/index.js';
import type { JobHandler } from '../jobs/index.js';
import { recordNotificationSent, renderSms, wasNotificationSent } from '../notifications/index.js';
import { findEnrollment } from './repository.js';

type SmsDeps = Pick<Deps, 'db' | 'sms' | 'keys'>;

/** Job `send-verification-sms`: unseals the code only at the moment of sending, and only to the number it was issued for. */
export function sendVerificationSmsHandler(deps: SmsDeps): JobHandler {
  return async (job) => {
    const jobId = job.id;
    const enrollmentId: string = job.payload.enrollment_id;
    if (await wasNotificationSent(deps.db, jobId)) return;
    // Queued while SMS was configured, run by a process where it is not: fail, so the job is retried, not lost.
    if (!deps.sms) throw new Error('no SmsSender configured');
    const e = await findEnrollment(deps.db, enrollmentId);
    if (!e?.profile) throw new Error(`enrollment ${enrollmentId} has no profile`);
    const phone = e.profile.phone;
    // The number is read now, but the code was issued for the number of then. If the profile changed
    // in between, text nobody: the code would reach a number nobody asked us to verify.
    const issued = await deps.db.query<{ destination_hash: string }>('SELECT destination_hash FROM verification_codes WHERE id = $1', [job.payload.verification_id]);
    if (!phone || issued.rows[0]?.destination_hash !== hmac(deps.keys.lookup, phone)) {
      await deps.db.transaction((tx) =>
        recordEvent(tx, { action: 'notification.sms_skipped', actor: { type: 'system' }, subject: { type: 'enrollment', id: enrollmentId }, data: { template: 'verification-code', job_id: jobId, reason: 'destination_changed' } }),
      );
      return;
    }
    const body = renderSms('verification-code', e.locale, { code: open(deps.keys.sealing, job.payload.sealed_code), minutes: CODE_POLICY.ttlMinutes });
    const sent = await deps.sms.send({ to: phone, body });
    await recordNotificationSent(deps.db, {
      jobId,
      channel: 'sms',
      template: 'verification-code',
      to: phone,
      providerMessageId: sent.messageId,
      key: deps.keys.lookup,
      audit: {
        action: 'notification.sms_sent',
        actor: { type: 'system' },
        subject: { type: 'enrollment', id: enrollmentId },
        data: { template: 'verification-code', job_id: jobId, provider_message_id: sent.messageId },
      },
    });
  };
}
