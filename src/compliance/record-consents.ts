import type { Tx } from '../db/index.js';
import type { Vault } from '../vault/index.js';
import { consentText } from './consent-texts.js';
import { insertConsentEvents, sealClient } from './repository.js';

/** What the profile step saw when the consents were given, kept with them until completion writes the ledger. */
export interface ConsentEvidence {
  locale: string;
  /** The request's IP and user agent, sealed under the enrollment's vault key (never in clear). */
  client_sealed: string | null;
  request_id: string | null;
  at: string;
}

export type SubmittedConsent = { purpose: string; granted: boolean; policy_version: string; evidence?: ConsentEvidence };

/** The profile's consents with the evidence of this request attached (stored on the enrollment, the client sealed). */
export async function withEvidence(
  tx: Tx,
  vault: Vault,
  enrollmentId: string,
  consents: readonly { purpose: string; granted: boolean; policy_version: string }[],
  e: { locale: string; ip?: string | null; userAgent?: string | null; requestId?: string; now: Date },
): Promise<SubmittedConsent[]> {
  const client_sealed = await sealClient(tx, vault, enrollmentId, e);
  const evidence: ConsentEvidence = { locale: e.locale, client_sealed, request_id: e.requestId ?? null, at: e.now.toISOString() };
  return consents.map((c) => ({ purpose: c.purpose, granted: c.granted, policy_version: c.policy_version, evidence }));
}

/**
 * Append one ledger event per consent given at enrollment, bound to the new customer; one statement. Each
 * carries the profile step's evidence (time, IP, user agent, request id, the hash of the text in the
 * enrollment's locale); consents stored before evidence was kept fall back to completion's own.
 */
export async function recordConsents(
  tx: Tx,
  input: { enrollmentId: string; customerId: string; tenantId: string; channel: string; requestId?: string; now: Date; locale?: string; consents: SubmittedConsent[] },
): Promise<void> {
  await insertConsentEvents(
    tx,
    { customerId: input.customerId, enrollmentId: input.enrollmentId, tenantId: input.tenantId },
    input.consents.map((c) => {
      const ev = c.evidence;
      const shown = consentText(c.purpose, c.policy_version, ev?.locale ?? input.locale ?? 'en');
      return {
        purpose: c.purpose,
        granted: c.granted,
        lawful_basis: shown?.lawful_basis ?? 'consent',
        policy_version: c.policy_version,
        text_sha256: shown?.text_sha256 ?? null,
        locale: shown?.locale ?? null,
        channel: input.channel,
        client_sealed: ev?.client_sealed ?? null,
        client_subject: ev?.client_sealed ? input.enrollmentId : null,
        request_id: ev?.request_id ?? input.requestId ?? null,
        recorded_at: ev ? new Date(ev.at) : input.now,
      };
    }),
  );
}
