import { deriveConsentState, listConsentEvents, type ConsentSubject } from '../compliance/index.js';
import type { Deps } from '../deps.js';
import { hashAddress } from '../notifications/index.js';
import { auditEventsAbout, invoicesOf, messagesSentTo, subscriptionsOf, tenantIdsOf } from './export-repository.js';
import { readCustomer, readEnrollment } from './read-subject.js';
import { EXPORT_FORMAT, EXPORT_SCHEMA_VERSION, type SubjectExport } from './export-schema.js';
import { consentStateJson, ledgerEventJson } from './schemas.js';

/** Everything held about a customer, as one JSON document: profile, consents, enrollment, subscriptions, invoices, audit, messages. */
export async function exportSubject(deps: Pick<Deps, 'db' | 'keys' | 'vault'>, subject: ConsentSubject & { customerId: string }, now: Date): Promise<SubjectExport> {
  const id = subject.customerId;
  const [customer, ledger, enrollment, tenants, subscriptions] = await Promise.all([
    readCustomer(deps, id),
    listConsentEvents(deps.db, subject, undefined, deps.vault),
    subject.enrollmentId ? readEnrollment(deps, subject.enrollmentId) : null,
    tenantIdsOf(deps.db, id),
    subscriptionsOf(deps.db, id),
  ]);
  const subscriptionIds = subscriptions.map((s) => String(s.id));
  const subjectIds = [id, ...(enrollment ? [enrollment.id] : []), ...tenants, ...subscriptionIds];
  const addresses = [customer?.email, enrollment?.profile?.email, enrollment?.profile?.phone].filter((a): a is string => Boolean(a));
  const [invoices, auditEvents, messages] = await Promise.all([
    invoicesOf(deps.db, subscriptionIds),
    auditEventsAbout(deps.db, subjectIds, id),
    messagesSentTo(deps.db, subjectIds, [...new Set(addresses.map((a) => hashAddress(deps.keys.lookup, a)))]),
  ]);
  return {
    format: EXPORT_FORMAT,
    schema_version: EXPORT_SCHEMA_VERSION,
    generated_at: now.toISOString(),
    subject: { type: 'customer', id },
    profile: customer ? { id: customer.id, email: customer.email, given_name: customer.given_name, family_name: customer.family_name, locale: customer.locale, country: customer.country } : null,
    consents: { state: deriveConsentState(ledger).map(consentStateJson), ledger: ledger.map(ledgerEventJson) },
    enrollments: enrollment
      ? [{
          id: enrollment.id, channel: enrollment.channel, state: enrollment.state, locale: enrollment.locale, country: enrollment.country, currency: enrollment.currency,
          profile: enrollment.profile ? { ...enrollment.profile } : null,
          consents: enrollment.consents.map((c) => ({ ...c })),
          created_at: new Date(enrollment.created_at).toISOString(),
          completed_at: enrollment.completed_at ? new Date(enrollment.completed_at).toISOString() : null,
        }]
      : [],
    tenants,
    subscriptions,
    invoices,
    audit_events: auditEvents,
    messages,
  };
}
