import { checkConsents, withEvidence } from '../compliance/index.js';
import type { ProfileInput } from '../customers/index.js';
import type { Deps } from '../deps.js';
import { hmac } from '../kernel/crypto.js';
import { assessProfile, insertSignals, riskErrors } from '../risk/index.js';
import { advance, assertCanAdvance } from './advance.js';
import type { FlowContext } from './context.js';
import { enrollmentErrors } from './errors.js';
import { loadEnrollment } from './load-enrollment.js';
import type { Enrollment, SealedProfile } from './repository.js';
import { riskAssessedEvent } from './risk-events.js';

/**
 * Record the profile and the consents shown, after the risk engine screened
 * it. Whether the address already has an account is deliberately NOT checked
 * here: the answer must not differ. A `deny` ends the enrollment without
 * keeping the profile; any other decision is stored and acted on later.
 */
export async function submitProfile(deps: Pick<Deps, 'db' | 'keys' | 'risk' | 'vault'>, id: string, p: ProfileInput, ctx: FlowContext): Promise<Enrollment> {
  const consentFields = checkConsents(p.consents);
  if (Object.keys(consentFields).length > 0) throw enrollmentErrors.enrollment_consent_required({ fields: consentFields });
  const e = await loadEnrollment(deps.db, id, deps.vault);
  assertCanAdvance(e, 'submit_profile', ctx.now);
  const { risk, signals } = await assessProfile(deps, {
    enrollmentId: e.id, startedAt: e.created_at, emailNormalized: p.email_normalized, phone: p.phone ?? null, client: ctx.client, prev: e.risk, now: ctx.now,
  });
  const assessed = riskAssessedEvent('profile', risk, e.id, ctx);
  const profile = { given_name: p.given_name, family_name: p.family_name, email: p.email, phone: p.phone ?? null, country: p.country };
  const emailHash = hmac(deps.keys.lookup, p.email_normalized);
  const updated = await deps.db.transaction(async (tx) => {
    // Denied attempts are recorded too: a refused caller's retries still count towards velocity.
    await insertSignals(tx, signals);
    if (risk.decision === 'deny') {
      return advance(tx, e, { event: 'deny', patch: { risk }, audit: { action: 'enrollment.rejected', data: { stage: 'profile' } }, events: [assessed], last: true }, ctx);
    }
    // Both under this enrollment's subject key, asked for together (one round trip): whichever statement runs first
    // creates the key, and the other finds it.
    const [profileSealed, consents] = await Promise.all([
      deps.vault.seal(tx, e.id, { profile, email_normalized: p.email_normalized } satisfies SealedProfile),
      // With what the ledger needs as proof (time, IP, user agent, request, locale of the text shown); the
      // ledger rows themselves are written at completion, once there is a customer to bind them to.
      withEvidence(tx, deps.vault, e.id, p.consents, { locale: e.locale, ip: ctx.client?.ip, userAgent: ctx.client?.userAgent, requestId: ctx.requestId, now: ctx.now }),
    ]);
    return advance(
      tx,
      e,
      {
        event: 'submit_profile',
        patch: {
          // Sealed under this enrollment's subject key (created here, once); the clear view only rides along in memory.
          profile_sealed: profileSealed,
          email_hash: emailHash,
          profile,
          email_normalized: p.email_normalized,
          country: p.country,
          consents,
          risk,
        },
        audit: {
          action: 'enrollment.profile_submitted',
          // References only: a keyed hash of the address, never the address.
          data: {
            email_hash: emailHash,
            phone_given: Boolean(p.phone),
            country: p.country,
            consents: p.consents.map((c) => ({ purpose: c.purpose, granted: c.granted, policy_version: c.policy_version })),
          },
        },
        events: [assessed],
        last: true,
      },
      ctx,
    );
  });
  // After the commit: the refusal and its reasons are on record; the caller learns only that it was refused.
  if (updated.state === 'rejected') throw riskErrors.risk_denied({ extra: { enrollment_id: e.id } });
  return updated;
}
