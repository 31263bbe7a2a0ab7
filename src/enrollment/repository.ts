import { auditRows, type AuditEvent } from '../audit/index.js';
import type { Queryable, Tx } from '../db/index.js';
import { newId } from '../kernel/ids.js';
import { jobRows, type NewJob } from '../jobs/index.js';
import type { StoredRisk } from '../risk/index.js';
import type { State } from './machine.js';

export interface PaymentMethodSummary {
  id: string;
  brand: string;
  last4: string;
  exp_month: number;
  exp_year: number;
  fingerprint: string;
  /** The issuing country, when the gateway reports it. */
  country?: string;
  /** The gateway customer the card is saved on (absent for cards attached before issue 5 part 2). */
  gateway_customer_id?: string;
}

export interface Profile {
  given_name: string;
  family_name: string;
  email: string;
  phone?: string | null;
  country: string;
}

export interface ConsentGiven {
  purpose: string;
  granted: boolean;
  policy_version: string;
}

export interface CompletionResult {
  customer_id: string;
  tenant_id: string;
  subscription: { id: string; status: 'active' | 'trialing'; current_period_start: string; current_period_end: string; trial_end: string | null };
  invoice: { id: string; number: string; total: number; currency: string; status: string };
}

export interface Enrollment {
  id: string;
  channel: string;
  state: State;
  version: number;
  locale: string;
  country: string | null;
  currency: string | null;
  profile: Profile | null;
  email_normalized: string | null;
  consents: ConsentGiven[];
  quote_id: string | null;
  payment_method: PaymentMethodSummary | null;
  result: CompletionResult | null;
  last_decline: { decline_code: string; at: string } | null;
  /** The risk engine's current decision with its reasons (never shown to the customer). */
  risk: StoredRisk | null;
  expires_at: Date;
  created_at: Date;
  updated_at: Date;
  completed_at: Date | null;
}

/** Columns a transition may change besides state and version. */
export const PATCHABLE = [
  'locale', 'country', 'currency', 'profile', 'email_normalized', 'consents', 'quote_id', 'payment_method', 'result', 'last_decline', 'completed_at',
  'risk', 'expires_at',
] as const;
export type EnrollmentPatch = Partial<Pick<Enrollment, (typeof PATCHABLE)[number]>>;
const JSON_COLUMNS = new Set(['profile', 'consents', 'payment_method', 'result', 'last_decline', 'risk']);

/** The new enrollment and its `enrollment.started` audit row, in one statement. */
export async function insertEnrollment(
  db: Queryable,
  e: Pick<Enrollment, 'id' | 'channel' | 'state' | 'locale' | 'country' | 'currency' | 'expires_at' | 'created_at'>,
  audit: AuditEvent,
): Promise<Enrollment> {
  const rows9 = auditRows([audit], 9);
  const { rows } = await db.query<Enrollment>(
    `WITH e AS (INSERT INTO enrollments (id, channel, state, locale, country, currency, expires_at, created_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *),
          a AS (INSERT INTO audit_events ${rows9.columns} VALUES ${rows9.values})
     SELECT * FROM e`,
    [e.id, e.channel, e.state, e.locale, e.country, e.currency, e.expires_at, e.created_at, ...rows9.params],
  );
  return rows[0];
}

export async function findEnrollment(db: Queryable, id: string): Promise<Enrollment | null> {
  const { rows } = await db.query<Enrollment>('SELECT * FROM enrollments WHERE id = $1', [id]);
  return rows[0] ?? null;
}

/** Row lock: completion holds it so concurrent completions queue behind one another. */
export async function lockEnrollment(tx: Tx, id: string): Promise<Enrollment | null> {
  const { rows } = await tx.query<Enrollment>('SELECT * FROM enrollments WHERE id = $1 FOR UPDATE', [id]);
  return rows[0] ?? null;
}

/**
 * One statement for a whole transition: the optimistic UPDATE, the
 * transition row, the audit rows and the outbox jobs, the inserts conditional
 * on the update having matched. One statement is atomic on its own, so a
 * step that only transitions needs no BEGIN/COMMIT round trips. Null when
 * someone else moved the enrollment first.
 */
export async function writeTransition(
  db: Queryable,
  t: { id: string; expectedVersion: number; event: string; from: State; to: State; patch: EnrollmentPatch; now: Date; requestId?: string; audit: AuditEvent[]; jobs: NewJob[] },
): Promise<Enrollment | null> {
  const sets = ['state = $3', 'version = version + 1', 'updated_at = $4'];
  const params: unknown[] = [t.id, t.expectedVersion, t.to, t.now, t.event, t.from, t.requestId ?? null];
  for (const col of PATCHABLE) {
    if (!(col in t.patch)) continue;
    const v = t.patch[col];
    params.push(JSON_COLUMNS.has(col) && v !== null && v !== undefined ? JSON.stringify(v) : v ?? null);
    sets.push(`${col} = $${params.length}`);
  }
  const audit = auditRows(t.audit, params.length + 1);
  params.push(...audit.params);
  const jobs = t.jobs.length > 0 ? jobRows(t.jobs, params.length + 1) : null;
  if (jobs) params.push(...jobs.params);
  const { rows } = await db.query<Enrollment>(
    `WITH u AS (UPDATE enrollments SET ${sets.join(', ')} WHERE id = $1 AND version = $2 RETURNING *),
     tr AS (INSERT INTO enrollment_transitions (enrollment_id, event, from_state, to_state, version, request_id, occurred_at)
            SELECT id, $5, $6, state, version, $7, $4 FROM u),
     au AS (INSERT INTO audit_events ${audit.columns} SELECT v.* FROM (VALUES ${audit.values}) AS v WHERE EXISTS (SELECT 1 FROM u))
     ${jobs ? `, jo AS (INSERT INTO outbox_jobs ${jobs.columns} SELECT v.* FROM (VALUES ${jobs.values}) AS v WHERE EXISTS (SELECT 1 FROM u))` : ''}
     SELECT * FROM u`,
    params,
  );
  return rows[0] ?? null;
}

/**
 * The risk verdict changed without a transition (a re-check at completion):
 * the column and its audit row in one statement, guarded by the version read.
 * The version is left alone on purpose (completion's charge key is bound to
 * it). Of concurrent completions writing the same verdict, the row lock lets
 * the first write and audit it; the others find it written and add nothing.
 * A version moved meanwhile writes nothing either: completion's own version
 * check refuses that stale view.
 */
export async function saveRisk(db: Queryable, r: { id: string; version: number; risk: StoredRisk; audit: AuditEvent }): Promise<void> {
  const audit = auditRows([r.audit], 4);
  await db.query(
    `WITH u AS (UPDATE enrollments SET risk = $3::jsonb WHERE id = $1 AND version = $2 AND risk IS DISTINCT FROM $3::jsonb RETURNING id),
     au AS (INSERT INTO audit_events ${audit.columns} SELECT v.* FROM (VALUES ${audit.values}) AS v WHERE EXISTS (SELECT 1 FROM u))
     SELECT id FROM u`,
    [r.id, r.version, JSON.stringify(r.risk), ...audit.params],
  );
}

/** The reviewer's queue: enrollments held for review, oldest first. */
export async function listPendingReviews(db: Queryable, limit: number): Promise<Enrollment[]> {
  const { rows } = await db.query<Enrollment>(`SELECT * FROM enrollments WHERE state = 'pending_review' ORDER BY updated_at, id LIMIT $1`, [limit]);
  return rows;
}

export async function countPaymentAttempts(db: Queryable, enrollmentId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM payment_attempts WHERE enrollment_id = $1', [enrollmentId]);
  return rows[0].n;
}

/** One row per failed gateway charge, however many callers saw it; false when it was recorded already. */
export async function insertPaymentAttempt(
  tx: Tx,
  a: { enrollmentId: string; gatewayReference: string; amount: number; currency: string; declineCode: string; now: Date },
): Promise<boolean> {
  const { rowCount } = await tx.query(
    `INSERT INTO payment_attempts (id, enrollment_id, gateway_reference, amount, currency, outcome, decline_code, created_at)
     VALUES ($1, $2, $3, $4, $5, 'declined', $6, $7) ON CONFLICT (gateway_reference) DO NOTHING`,
    [newId('pay'), a.enrollmentId, a.gatewayReference, a.amount, a.currency, a.declineCode, a.now],
  );
  return rowCount === 1;
}
