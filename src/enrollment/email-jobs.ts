import type { Deps } from '../deps.js';
import { open } from '../kernel/crypto.js';
import { CODE_POLICY } from '../identity/index.js';
import type { JobHandler } from '../jobs/index.js';
import { renderEmail } from '../notifications/index.js';
import { deliverToIssuedDestination } from './deliver-to-issued-destination.js';
import type { Enrollment } from './repository.js';

type EmailDeps = Pick<Deps, 'db' | 'vault' | 'email' | 'keys' | 'config'>;

function email(deps: EmailDeps, template: 'verification-code' | 'account-exists', vars: () => Record<string, string | number>) {
  return {
    channel: 'email' as const,
    template,
    destinationOf: (e: Enrollment) => ({ to: e.profile!.email, hashed: e.email_normalized! }),
    send: (e: Enrollment, to: string) => deps.email.send({ to, ...renderEmail(template, e.locale, vars()) }),
  };
}

/** Job `send-verification-email`: unseals the code only at the moment of sending. */
export function sendVerificationEmailHandler(deps: EmailDeps): JobHandler {
  return (job) =>
    deliverToIssuedDestination(deps, job, email(deps, 'verification-code', () => ({ code: open(deps.keys.sealing, job.payload.sealed_code), minutes: CODE_POLICY.ttlMinutes })));
}

/** Job `send-account-exists-email`: tells the real owner, and only them, that the address is taken. */
export function sendAccountExistsEmailHandler(deps: EmailDeps): JobHandler {
  return (job) => deliverToIssuedDestination(deps, job, email(deps, 'account-exists', () => ({ sign_in_url: `${deps.config.publicUrl}/app` })));
}
