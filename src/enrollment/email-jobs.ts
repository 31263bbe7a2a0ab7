import { recordEvent } from '../audit/index.js';
import type { Deps } from '../deps.js';
import { hmac, open } from '../kernel/crypto.js';
import { CODE_POLICY } from '../identity/index.js';
import type { JobHandler } from '../jobs/index.js';
import { recordNotificationSent, renderEmail, wasNotificationSent } from '../notifications/index.js';
import { findEnrollment } from './repository.js';

type EmailDeps = Pick<Deps, 'db' | 'email' | 'keys' | 'config'>;

async function deliver(
  deps: EmailDeps,
  job: { id: string; payload: { enrollment_id: string; verification_id: string } },
  template: 'verification-code' | 'account-exists',
  vars: (locale: string) => Record<string, string | number>,
) {
  const jobId = job.id;
  const enrollmentId = job.payload.enrollment_id;
  if (await wasNotificationSent(deps.db, jobId)) return;
  const e = await findEnrollment(deps.db, enrollmentId);
  if (!e?.profile) throw new Error(`enrollment ${enrollmentId} has no profile`);
  // The address is read now, but the code was issued for the address of then. If the profile changed in
  // between, mail nobody: otherwise "you already have an account" would reach whoever edited the profile.
  const issued = await deps.db.query<{ destination_hash: string }>('SELECT destination_hash FROM verification_codes WHERE id = $1', [job.payload.verification_id]);
  if (issued.rows[0]?.destination_hash !== hmac(deps.keys.lookup, e.email_normalized!)) {
    await deps.db.transaction((tx) =>
      recordEvent(tx, { action: 'notification.email_skipped', actor: { type: 'system' }, subject: { type: 'enrollment', id: enrollmentId }, data: { template, job_id: jobId, reason: 'destination_changed' } }),
    );
    return;
  }
  const sent = await deps.email.send({ to: e.profile.email, ...renderEmail(template, e.locale, vars(e.locale)) });
  await recordNotificationSent(deps.db, {
    jobId,
    template,
    to: e.profile.email,
    providerMessageId: sent.messageId,
    key: deps.keys.lookup,
    audit: {
      action: 'notification.email_sent',
      actor: { type: 'system' },
      subject: { type: 'enrollment', id: enrollmentId },
      data: { template, job_id: jobId, provider_message_id: sent.messageId },
    },
  });
}

/** Job `send-verification-email`: unseals the code only at the moment of sending. */
export function sendVerificationEmailHandler(deps: EmailDeps): JobHandler {
  return (job) =>
    deliver(deps, job, 'verification-code', () => ({
      code: open(deps.keys.sealing, job.payload.sealed_code),
      minutes: CODE_POLICY.ttlMinutes,
    }));
}

/** Job `send-account-exists-email`: tells the real owner, and only them, that the address is taken. */
export function sendAccountExistsEmailHandler(deps: EmailDeps): JobHandler {
  return (job) => deliver(deps, job, 'account-exists', () => ({ sign_in_url: `${deps.config.publicUrl}/app` }));
}
