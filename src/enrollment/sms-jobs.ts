import type { Deps } from '../deps.js';
import { open } from '../kernel/crypto.js';
import { CODE_POLICY } from '../identity/index.js';
import type { JobHandler } from '../jobs/index.js';
import { renderSms } from '../notifications/index.js';
import { deliverToIssuedDestination } from './deliver-to-issued-destination.js';

type SmsDeps = Pick<Deps, 'db' | 'sms' | 'keys'>;

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
      send: (e, to) => sms.send({ to, body: renderSms('verification-code', e.locale, { code: open(deps.keys.sealing, job.payload.sealed_code), minutes: CODE_POLICY.ttlMinutes }) }),
    });
  };
}
