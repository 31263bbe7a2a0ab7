import type { Tx } from '../db/index.js';
import { consentText } from './consent-texts.js';
import { insertConsentEvents } from './repository.js';

/** What the profile step saw when the consents were given, kept with them until completion writes the ledger. */
export interface ConsentEvidence {
  locale: string;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  at: string;
}

export type SubmittedConsent = { purpose: string; granted: boolean; policy_version: string; evidence?: ConsentEvidence };

/** The profile's consents with the evidence of this request attached (stored on the enrollment). */
export function withEvidence(
  consents: readonly { purpose: string; granted: boolean; policy_version: string }[],
  e: { locale: string; ip?: string | null; userAgent?: string | null; requestId?: string; now: Date },
): SubmittedConsent[] {
  const evidence: ConsentEvidence = { locale: e.locale, ip: e.ip ?? null, user_agent: e.userAgent ?? null, request_id: e.requestId ?? null, at: e.now.toISOString() };
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
        ip: ev?.ip ?? null,
        user_agent: ev?.user_agent ?? null,
        request_id: ev?.request_id ?? input.requestId ?? null,
        recorded_at: ev ? new Date(ev.at) : input.now,
      };
    }),
  );
}
