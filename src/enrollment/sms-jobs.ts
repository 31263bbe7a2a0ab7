import { recordEvent } from '../audit/index.js';
import type { Deps } from '../deps.js';
import { open } from '../kernel/crypto.js';
import { CODE_POLICY } from '../identity/index.js';
import { jobErrors, type JobHandler } from '../jobs/index.js';
import { renderSms, SmsSendError, type SmsSender } from '../notifications/index.js';
import { deliverToIssuedDestination } from './deliver-to-issued-destination.js';

type SmsDeps = Pick<Deps, 'db' | 'vault' | 'sms' | 'keys'>;
type Job = Parameters<JobHandler>[0];

/** Job `send-verification-sms`: unseals the code only at the moment of sending, and only to the number it was issued for. */
export function sendVerificationSmsHandler(deps: SmsDeps): JobHandler {
  return async (job) => {
    const sms = deps.sms;
    // Queued while SMS was configured, run by a process where it is not: fail, so the job is retried, not lost.
    if (!sms) throw new Error('no SmsSender configured');
    await deliverToIssuedDestination(deps, job, {
      channel: 'sms',
      template: 'verification-code',
      // The profile stores E.164, and the destination hash was made of it.
      destinationOf: (e) => (e.profile?.phone ? { to: e.profile.phone, hashed: e.profile.phone } : null),
      send: (e, to) => sendOrRefuse(deps, sms, job, { to, body: renderSms('verification-code', e.locale, { code: open(deps.keys.sealing, job.payload.sealed_code), minutes: CODE_POLICY.ttlMinutes }) }),
    });
  };
}

/**
 * A permanent refusal (invalid number, STOP, region not permitted) is audited
 * as `notification.sms_refused` and dead-letters the job at once: retrying
 * it would only pay for more refused texts.
 */
async function sendOrRefuse(deps: Pick<Deps, 'db'>, sms: SmsSender, job: Job, msg: { to: string; body: string }) {
  try {
    return await sms.send(msg);
  } catch (err) {
    if (!(err instanceof SmsSendError) || !err.refusal) throw err;
    const refusal = err.refusal;
    await deps.db.transaction((tx) =>
      recordEvent(tx, {
        action: 'notification.sms_refused',
        actor: { type: 'system' },
        subject: { type: 'enrollment', id: job.payload.enrollment_id },
        data: { template: 'verification-code', job_id: job.id, reason: refusal },
      }),
    );
    throw jobErrors.job_failed_permanently({ detail: `sms refused: ${refusal}`, cause: err });
  }
}
