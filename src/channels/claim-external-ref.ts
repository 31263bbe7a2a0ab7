import type { Deps } from '../deps.js';
import { startEnrollment, type FlowContext } from '../enrollment/index.js';
import { hmac } from '../kernel/crypto.js';
import { channelErrors } from './errors.js';
import { findExternalRef, insertExternalRef } from './repository.js';
import type { EnrollmentRequest } from './enrollment-request.js';

/**
 * One external_ref, one enrollment, per partner. The hash covers who and what
 * is ordered, not the card: a retry after a decline may bring another token.
 */
export async function claimExternalRef(
  deps: Deps,
  input: { partnerId: string; externalRef: string; request: EnrollmentRequest; ctx: FlowContext },
): Promise<string> {
  const { profile, plan } = input.request;
  // Keyed: the hash covers personal data.
  const hash = hmac(deps.keys.lookup, JSON.stringify({ email: profile.email_normalized, given: profile.given_name, family: profile.family_name, plan }));
  const existing = async () => {
    const row = await findExternalRef(deps.db, input.partnerId, input.externalRef);
    if (row && row.request_hash !== hash) throw channelErrors.channel_external_ref_conflict({ fields: { external_ref: ['conflict'] } });
    return row?.enrollment_id;
  };
  const found = await existing();
  if (found) return found;
  const e = await startEnrollment(deps, { locale: input.request.locale, country: input.request.country, currency: input.request.currency }, input.ctx);
  const claimed = await insertExternalRef(deps.db, { partnerId: input.partnerId, externalRef: input.externalRef, enrollmentId: e.id, requestHash: hash });
  if (claimed) return e.id;
  // Lost the race: the orphan enrollment simply expires; the winner's is the one.
  return (await existing())!;
}
