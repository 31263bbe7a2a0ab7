import { recordEvent } from '../audit/index.js';
import type { Deps } from '../deps.js';
import { open } from '../kernel/crypto.js';
import { CODE_POLICY } from '../identity/index.js';
import type { JobHandler } from '../jobs/index.js';
import { recordNotificationSent, renderEmail, wasNotificationSent } from '../notifications/index.js';
import { findEnrollment } from './repository.js';

type EmailDeps = Pick<Deps, 'db' | 'email' | 'keys' | 'config'>;

async function deliver(deps: EmailDeps, jobId: string, enrollmentId: string, template: 'verification-code' | 'account-exists', vars: (locale: string) => Record<string, string | number>) {
  if (await wasNotificationSent(deps.db, jobId)) return;
  const e = await findEnrollment(deps.db, enrollmentId);
  if (!e?.profile) throw new Error(`enrollment ${enrollmentId} has no profile`);
  const sent = await deps.email.send({ to: e.profile.email, ...renderEmail(template, e.locale, vars(e.locale)) });
  await deps.db.transaction(async (tx) => {
    await recordNotificationSent(tx, { jobId, template, to: e.profile!.email, providerMessageId: sent.messageId });
    await recordEvent(tx, {
      action: 'notification.email_sent',
      actor: { type: 'system' },
      subject: { type: 'enrollment', id: enrollmentId },
      data: { template, job_id: jobId, provider_message_id: sent.messageId },
    });
  });
}

/** Job `send-verification-email`: unseals the code only at the moment of sending. */
export function sendVerificationEmailHandler(deps: EmailDeps): JobHandler {
  return (job) =>
    deliver(deps, job.id, job.payload.enrollment_id, 'verification-code', () => ({
      code: open(deps.keys.sealing, job.payload.sealed_code),
      minutes: CODE_POLICY.ttlMinutes,
    }));
}

/** Job `send-account-exists-email`: tells the real owner, and only them, that the address is taken. */
export function sendAccountExistsEmailHandler(deps: EmailDeps): JobHandler {
  return (job) => deliver(deps, job.id, job.payload.enrollment_id, 'account-exists', () => ({ sign_in_url: `${deps.config.publicUrl}/app` }));
}
