import { checkConsents } from '../compliance/index.js';
import type { ProfileInput } from '../customers/index.js';
import type { Deps } from '../deps.js';
import { hmac } from '../kernel/crypto.js';
import { advance, assertCanAdvance } from './advance.js';
import type { FlowContext } from './context.js';
import { enrollmentErrors } from './errors.js';
import { loadEnrollment } from './load-enrollment.js';
import type { Enrollment } from './repository.js';

/**
 * Record the profile and the consents shown. Whether the address already has
 * an account is deliberately NOT checked here: the answer must not differ.
 */
export async function submitProfile(deps: Pick<Deps, 'db' | 'keys'>, id: string, p: ProfileInput, ctx: FlowContext): Promise<Enrollment> {
  const consentFields = checkConsents(p.consents);
  if (Object.keys(consentFields).length > 0) throw enrollmentErrors.enrollment_consent_required({ fields: consentFields });
  const e = await loadEnrollment(deps.db, id);
  assertCanAdvance(e, 'submit_profile', ctx.now);
  return advance(
    deps.db,
    e,
    {
      event: 'submit_profile',
      patch: {
        profile: { given_name: p.given_name, family_name: p.family_name, email: p.email, phone: p.phone ?? null, country: p.country },
        email_normalized: p.email_normalized,
        country: p.country,
        consents: p.consents,
      },
      audit: {
        action: 'enrollment.profile_submitted',
        // References only: a keyed hash of the address, never the address.
        data: {
          email_hash: hmac(deps.keys.lookup, p.email_normalized),
          phone_given: Boolean(p.phone),
          country: p.country,
          consents: p.consents.map((c) => ({ purpose: c.purpose, granted: c.granted, policy_version: c.policy_version })),
        },
      },
    },
    ctx,
  );
}
