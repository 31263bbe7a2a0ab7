import type { ConsentEvidence } from '../compliance/index.js';
import { auditRows, type AuditEvent } from '../audit/index.js';
import { isTx, type Queryable, type Tx } from '../db/index.js';
import { newId } from '../kernel/ids.js';
import { jobRows, type NewJob } from '../jobs/index.js';
import type { StoredRisk } from '../risk/index.js';
import type { Vault } from '../vault/index.js';
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
  /** Proof kept for the consent ledger (compliance/record-consents.ts). */
  evidence?: ConsentEvidence;
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
  /** Opened from profile_sealed by the vault when read; null before the profile step and after erasure. */
  profile: Profile | null;
  email_normalized: string | null;
  /** The profile and its normalized address, sealed under this enrollment's subject key (see src/vault). */
  profile_sealed: string | null;
  /** HMAC of the normalized address (keys.lookup): lookups never touch the address itself. */
  email_hash: string | null;
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
  'locale', 'country', 'currency', 'profile_sealed', 'email_hash', 'consents', 'quote_id', 'payment_method', 'result', 'last_decline', 'completed_at',
  'risk', 'expires_at',
] as const;
/** `profile` and `email_normalized` are the clear view of `profile_sealed`: advance() carries them over, they are never written. */
export type EnrollmentPatch = Partial<Pick<Enrollment, (typeof PATCHABLE)[number] | 'profile' | 'email_normalized'>>;
const JSON_COLUMNS = new Set(['consents', 'payment_method', 'result', 'last_decline', 'risk']);

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
  return { ...rows[0]!, profile: null, email_normalized: null };
}

/** The row with its subject key joined in, so opening the profile costs no second query. */
const SELECT_WITH_KEY = 'SELECT e.*, k.key_version, k.wrapped_key FROM enrollments e LEFT JOIN subject_keys k ON k.subject_id = e.id';
type RowWithKey = Omit<Enrollment, 'profile' | 'email_normalized'> & { key_version: number | null; wrapped_key: string | null };

/** The clear profile, opened by the vault; null when none was given or the subject was erased. */
async function opened(vault: Vault, row: RowWithKey): Promise<Enrollment> {
  const { key_version, wrapped_key, ...e } = row;
  const key = key_version === null || wrapped_key === null ? null : { key_version, wrapped_key };
  const sealed = e.profile_sealed ? await vault.openWith<SealedProfile>(key, e.id, e.profile_sealed) : null;
  return { ...e, profile: sealed?.profile ?? null, email_normalized: sealed?.email_normalized ?? null };
}

/** What profile_sealed holds. */
export interface SealedProfile {
  profile: Profile;
  email_normalized: string;
}

export async function findEnrollment(db: Queryable, id: string, vault: Vault): Promise<Enrollment | null> {
  const { rows } = await db.query<RowWithKey>(`${SELECT_WITH_KEY} WHERE e.id = $1`, [id]);
  return rows[0] ? opened(vault, rows[0]) : null;
}

/** Row lock: completion holds it so concurrent completions queue behind one another. */
export async function lockEnrollment(tx: Tx, id: string, vault: Vault): Promise<Enrollment | null> {
  // The lock is taken on the enrollment alone (subject_keys rows are never locked), in the plain form tests watch for.
  const { rows } = await tx.query<RowWithKey>(
    `SELECT e.*, k.key_version, k.wrapped_key FROM (SELECT * FROM enrollments WHERE id = $1 FOR UPDATE) e LEFT JOIN subject_keys k ON k.subject_id = e.id`,
    [id],
  );
  return rows[0] ? opened(vault, rows[0]) : null;
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
  /** `db` is a transaction and this is its last statement, sent with its COMMIT (Tx.last): a version conflict must then abort it. */
  last = false,
): Promise<Omit<Enrollment, 'profile' | 'email_normalized'> | null> {
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
  const sql = `WITH u AS (UPDATE enrollments SET ${sets.join(', ')} WHERE id = $1 AND version = $2 RETURNING *),
     tr AS (INSERT INTO enrollment_transitions (enrollment_id, event, from_state, to_state, version, request_id, occurred_at)
            SELECT id, $5, $6, state, version, $7, $4 FROM u),
     au AS (INSERT INTO audit_events ${audit.columns} SELECT v.* FROM (VALUES ${audit.values}) AS v WHERE EXISTS (SELECT 1 FROM u))
     ${jobs ? `, jo AS (INSERT INTO outbox_jobs ${jobs.columns} SELECT v.* FROM (VALUES ${jobs.values}) AS v WHERE EXISTS (SELECT 1 FROM u))` : ''}`;
  type Row = Omit<Enrollment, 'profile' | 'email_normalized'>;
  if (!last) return (await db.query<Row>(`${sql} SELECT * FROM u`, params)).rows[0] ?? null;
  if (!isTx(db)) throw new Error('a last statement needs the transaction it ends');
  try {
    // ck is the preserved side of the join, so it is evaluated whatever u holds: no row raises EN409.
    const { rows } = await db.last<Row>(`${sql}, ck AS (SELECT expect_one_row((SELECT count(*) FROM u), 'enrollment version') AS ok)
     SELECT u.* FROM ck LEFT JOIN u ON ck.ok`, params);
    return rows[0]!;
  } catch (err) {
    if ((err as { code?: string }).code === 'EN409') return null;
    throw err;
  }
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
export async function listPendingReviews(db: Queryable, limit: number, vault: Vault): Promise<Enrollment[]> {
  const { rows } = await db.query<RowWithKey>(`${SELECT_WITH_KEY} WHERE e.state = 'pending_review' ORDER BY e.updated_at, e.id LIMIT $1`, [limit]);
  return Promise.all(rows.map((r) => opened(vault, r)));
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
