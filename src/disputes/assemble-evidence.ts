import { auditTrailOf } from '../audit/index.js';
import { consentsOf } from '../compliance/index.js';
import { getCustomer } from '../customers/index.js';
import { scopedDb } from '../db/index.js';
import type { Deps } from '../deps.js';
import { findEnrollment } from '../enrollment/index.js';
import { deliveriesTo } from '../notifications/index.js';
import { ipSignalRecorded } from '../risk/index.js';
import { sessionUsageOf } from '../sessions/index.js';
import { findChargedSubscription } from '../subscriptions/index.js';
import type { DisputeFacts, EvidencePack } from './dispute-agent.js';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/**
 * The evidence pack for a disputed charge, from the modules that own each
 * piece (consents, audit trail, risk's IP record, the email delivery log,
 * sessions): reference data and times only, never message bodies or card data.
 */
export async function assembleEvidence(deps: Pick<Deps, 'db' | 'keys' | 'vault'>, dispute: DisputeFacts): Promise<EvidencePack> {
  // The gateway names only the charge: which tenant's subscription it paid for is a question across tenants,
  // one named system read. The pack itself is then read in that tenant's scope (row-level security).
  const sub = await findChargedSubscription(scopedDb(deps.db, { system: 'dispute-charge-tenant' }), dispute.chargeId);
  const empty: EvidencePack = {
    charge_id: dispute.chargeId, subscription: null, payment: null, customer: null, consents: [], ip: { country: null, recorded: false },
    audit_trail: [], emails: [], usage: { sessions: 0, first_at: null, last_at: null },
  };
  if (!sub) return empty;
  const db = scopedDb(deps.db, { tenantId: sub.tenant_id });
  const [customer, enrollment, consents, trail, usage, ipRecorded] = await Promise.all([
    getCustomer(db, sub.customer_id, deps.vault),
    findEnrollment(db, sub.enrollment_id, deps.vault),
    consentsOf(db, sub.enrollment_id),
    auditTrailOf(db, sub.tenant_id),
    sessionUsageOf(db, sub.customer_id),
    ipSignalRecorded(db, sub.enrollment_id),
  ]);
  const emails = customer ? await deliveriesTo(db, deps.keys.lookup, customer.email) : [];
  return {
    ...empty,
    subscription: { id: sub.subscription_id, status: sub.status, plan_id: sub.plan_id, created_at: iso(sub.created_at)!, period_start: iso(sub.period_start), period_end: iso(sub.period_end) },
    payment: { amount: sub.payment_amount, currency: sub.payment_currency, paid_at: iso(sub.paid_at)! },
    customer: customer ? { email: customer.email, name: `${customer.given_name} ${customer.family_name}` } : null,
    consents: consents.map((c) => ({ purpose: c.purpose, granted: c.granted, policy_version: c.policy_version, recorded_at: iso(c.recorded_at)! })),
    ip: { country: enrollment?.risk?.ip_country ?? null, recorded: ipRecorded },
    audit_trail: trail.map((a) => ({ action: a.action, occurred_at: iso(a.occurred_at)! })),
    emails: emails.map((m) => ({ template: m.template, sent_at: iso(m.sent_at)! })),
    usage: { sessions: usage.sessions, first_at: iso(usage.first_at), last_at: iso(usage.last_at) },
  };
}

/** The pack in Stripe's evidence fields (text fields are capped by Stripe; ours stay short). */
export function stripeEvidence(e: EvidencePack): Record<string, string> {
  const lines = (xs: string[]) => xs.join('\n').slice(0, 20_000);
  return {
    ...(e.customer ? { customer_email_address: e.customer.email, customer_name: e.customer.name } : {}),
    ...(e.subscription ? { product_description: `Subscription ${e.subscription.plan_id}, ${e.subscription.period_start ?? ''} to ${e.subscription.period_end ?? ''}` } : {}),
    ...(e.payment ? { service_date: e.payment.paid_at.slice(0, 10) } : {}),
    access_activity_log: lines([
      `sessions: ${e.usage.sessions} (first ${e.usage.first_at ?? 'none'}, last ${e.usage.last_at ?? 'none'})`,
      ...e.audit_trail.map((a) => `${a.occurred_at} ${a.action}`),
    ]),
    uncategorized_text: lines([
      ...e.consents.map((c) => `consent ${c.purpose} v${c.policy_version} ${c.granted ? 'granted' : 'refused'} at ${c.recorded_at}`),
      `ip country at sign-up: ${e.ip.country ?? 'unknown'}`,
      ...e.emails.map((m) => `email ${m.template} delivered ${m.sent_at}`),
    ]),
  };
}
