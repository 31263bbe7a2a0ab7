import type { Queryable } from '../../src/db/index.js';

/** Row counts of everything completion creates, for "exactly one" and "none" assertions. */
export async function completionCounts(db: Queryable, enrollmentId: string) {
  const one = async (sql: string) => (await db.query<{ n: number }>(sql, [enrollmentId])).rows[0].n;
  return {
    customers: await one('SELECT count(*)::int AS n FROM customers WHERE enrollment_id = $1'),
    tenants: await one('SELECT count(*)::int AS n FROM tenants WHERE enrollment_id = $1'),
    roles: await one('SELECT count(*)::int AS n FROM roles r JOIN tenants t ON t.id = r.tenant_id WHERE t.enrollment_id = $1'),
    memberships: await one('SELECT count(*)::int AS n FROM memberships m JOIN tenants t ON t.id = m.tenant_id WHERE t.enrollment_id = $1'),
    subscriptions: await one('SELECT count(*)::int AS n FROM subscriptions WHERE enrollment_id = $1'),
    invoices: await one('SELECT count(*)::int AS n FROM invoices i JOIN subscriptions s ON s.id = i.subscription_id WHERE s.enrollment_id = $1'),
    payments: await one('SELECT count(*)::int AS n FROM payments p JOIN invoices i ON i.id = p.invoice_id JOIN subscriptions s ON s.id = i.subscription_id WHERE s.enrollment_id = $1'),
    consents: await one('SELECT count(*)::int AS n FROM consent_records WHERE enrollment_id = $1'),
    welcomeJobs: await one(`SELECT count(*)::int AS n FROM outbox_jobs WHERE type = 'send-welcome-email' AND payload->>'enrollment_id' = $1`),
    completedEvents: await one(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'enrollment.completed' AND subject_id = $1`),
    charges: await one(`SELECT count(*)::int AS n FROM gateway_charges WHERE idempotency_key LIKE $1 || ':%'`),
  };
}

export const EXACTLY_ONE = { customers: 1, tenants: 1, roles: 4, memberships: 1, subscriptions: 1, invoices: 1, payments: 1, consents: 3, welcomeJobs: 1, completedEvents: 1, charges: 1 };
export const NOTHING = { customers: 0, tenants: 0, roles: 0, memberships: 0, subscriptions: 0, invoices: 0, payments: 0, consents: 0, welcomeJobs: 0, completedEvents: 0 };
