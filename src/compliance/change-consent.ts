import { recordEvent, type AuditEvent } from '../audit/index.js';
import type { Db } from '../db/index.js';
import type { Vault } from '../vault/index.js';
import { CONSENT_TEXTS, consentText, type LawfulBasis } from './consent-texts.js';
import { complianceErrors } from './errors.js';
import { customerLinks, insertConsentEvents, listConsentEvents, sealClient, lockConsentSubject, type ConsentEvent, type ConsentSubject } from './repository.js';

export interface ConsentChange {
  purpose: string;
  granted: boolean;
  /** The version the person was shown; a grant must name the current one. A withdrawal refers to what was granted. */
  policyVersion?: string;
  locale: string;
  channel: string;
  /** Defaults to the purpose's basis; a GPC opt-out records the legal duty to honour it. */
  lawfulBasis?: LawfulBasis;
  client: { ip: string | null; userAgent: string | null } | null;
  requestId: string | null;
  actor: AuditEvent['actor'];
  now: Date;
}

/** The subject a customer id names (with their enrollment's earlier events), or null. */
export async function consentSubjectOf(db: Db, customerId: string): Promise<ConsentSubject | null> {
  const links = await customerLinks(db, customerId);
  return links ? { customerId, enrollmentId: links.enrollmentId, tenantId: links.tenantId } : null;
}

/**
 * Give or withdraw one consent: one ledger row and its audit event, unless the subject is already in that
 * state (same version, for a grant), so a repeated click or a GPC header on every request writes one row.
 */
export async function changeConsent(deps: { db: Db; vault: Vault }, subject: ConsentSubject, c: ConsentChange): Promise<{ recorded: boolean; event: ConsentEvent }> {
  const policy = CONSENT_TEXTS[c.purpose];
  if (!policy) throw complianceErrors.consent_purpose_unknown();
  if (c.granted && c.policyVersion !== policy.current) throw complianceErrors.consent_policy_version_outdated({ fields: { policy_version: ['policy_version_outdated'] }, extra: { current: policy.current } });
  if (!c.granted && policy.lawful_basis !== 'consent' && c.channel !== 'gpc') throw complianceErrors.consent_not_withdrawable();
  return deps.db.transaction(async (tx) => {
    await lockConsentSubject(tx, subject);
    const history = await listConsentEvents(tx, subject, c.purpose);
    const latest = history.at(-1);
    const lastGrant = [...history].reverse().find((e) => e.granted);
    // A withdrawal names the text that was agreed to; a grant, the current one.
    const shown = (!c.granted && lastGrant && consentText(c.purpose, lastGrant.policy_version, c.locale)) || consentText(c.purpose, policy.current, c.locale)!;
    if (latest && latest.granted === c.granted && (!c.granted || latest.text_sha256 === shown.text_sha256)) return { recorded: false, event: latest };
    // The person's vault key is their enrollment's: erasing them shreds this IP and user agent too.
    const clientSealed = await sealClient(tx, deps.vault, subject.enrollmentId, c.client);
    const [id] = await insertConsentEvents(tx, subject, [{
      purpose: c.purpose,
      granted: c.granted,
      lawful_basis: c.lawfulBasis ?? policy.lawful_basis,
      policy_version: shown.policy_version,
      text_sha256: shown.text_sha256,
      locale: shown.locale,
      channel: c.channel,
      client_sealed: clientSealed,
      client_subject: clientSealed ? subject.enrollmentId : null,
      request_id: c.requestId,
      recorded_at: c.now,
    }]);
    await recordEvent(tx, {
      action: c.granted ? 'consent.given' : 'consent.withdrawn',
      actor: c.actor,
      channel: c.channel,
      requestId: c.requestId ?? undefined,
      subject: subject.customerId ? { type: 'customer', id: subject.customerId } : { type: 'enrollment', id: subject.enrollmentId! },
      tenantId: subject.tenantId ?? undefined,
      // References only: the IP and user agent stay sealed in the ledger row.
      data: { consent_event_id: id, purpose: c.purpose, policy_version: shown.policy_version, lawful_basis: c.lawfulBasis ?? policy.lawful_basis },
    });
    return { recorded: true, event: (await listConsentEvents(tx, subject, c.purpose, deps.vault)).find((e) => e.id === id)! };
  });
}
