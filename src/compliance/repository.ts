import type { Queryable, Tx } from '../db/index.js';
import type { Vault } from '../vault/index.js';
import { newId } from '../kernel/ids.js';
import type { LawfulBasis } from './consent-texts.js';

/** Whose consent: a customer (with the enrollment that made them, whose pre-completion events are theirs too) or an open enrollment. */
export type ConsentSubject = { customerId: string; enrollmentId: string | null; tenantId: string | null } | { customerId: null; enrollmentId: string; tenantId: null };

/** One ledger event as written. */
export interface NewConsentEvent {
  purpose: string;
  granted: boolean;
  lawful_basis: LawfulBasis;
  policy_version: string;
  text_sha256: string | null;
  locale: string | null;
  channel: string;
  /** `{ ip, user_agent }` sealed under `client_subject`'s vault key (personal data: shredded on erasure). */
  client_sealed: string | null;
  client_subject: string | null;
  request_id: string | null;
  recorded_at: Date;
}

export interface ConsentEvent extends NewConsentEvent {
  id: string;
  seq: number;
  customer_id: string | null;
  enrollment_id: string | null;
  /** Opened from client_sealed when the reader passed the vault; null otherwise, or once erased. */
  ip: string | null;
  user_agent: string | null;
}

const COLUMNS = ['id', 'enrollment_id', 'customer_id', 'tenant_id', 'purpose', 'granted', 'lawful_basis', 'policy_version', 'text_sha256', 'locale', 'channel', 'client_sealed', 'client_subject', 'request_id', 'recorded_at'] as const;

/** Append events in one statement; returns their ids. */
export async function insertConsentEvents(tx: Tx, subject: { customerId: string | null; enrollmentId: string | null; tenantId: string | null }, events: NewConsentEvent[]): Promise<string[]> {
  if (events.length === 0) return [];
  const params: unknown[] = [];
  const ids: string[] = [];
  const rows = events.map((e) => {
    const id = newId('con', e.recorded_at.getTime());
    ids.push(id);
    const values = [id, subject.enrollmentId, subject.customerId, subject.tenantId, e.purpose, e.granted, e.lawful_basis, e.policy_version, e.text_sha256, e.locale, e.channel, e.client_sealed, e.client_subject, e.request_id, e.recorded_at];
    const first = params.length + 1;
    params.push(...values);
    return `(${values.map((_, i) => `$${first + i}`).join(', ')})`;
  });
  tx.defer(`INSERT INTO consent_records (${COLUMNS.join(', ')}) VALUES ${rows.join(', ')}`, params);
  return ids;
}

// A customer's events include those recorded on their enrollment before the customer existed (a GPC signal
// sent while enrolling). Time orders events (completion writes what was consented at the profile step with
// that step's time); seq breaks ties.
const SUBJECT_FILTER = `(($1::text IS NOT NULL AND customer_id = $1) OR (customer_id IS NULL AND enrollment_id = $2))`;

/** The subject's whole ledger, oldest first; with the vault, each event's IP and user agent are opened. */
export async function listConsentEvents(db: Queryable, s: ConsentSubject, purpose?: string, vault?: Vault): Promise<ConsentEvent[]> {
  const { rows } = await db.query<Omit<ConsentEvent, 'ip' | 'user_agent'>>(
    `SELECT id, seq, customer_id, enrollment_id, purpose, granted, lawful_basis, policy_version, text_sha256, locale, channel, client_sealed, client_subject, request_id, recorded_at
       FROM consent_records WHERE ${SUBJECT_FILTER} AND ($3::text IS NULL OR purpose = $3)
      ORDER BY recorded_at, seq`,
    [s.customerId, s.enrollmentId, purpose ?? null],
  );
  return Promise.all(rows.map(async (r) => {
    const client = vault && r.client_sealed && r.client_subject ? await vault.open<SealedClient>(db, r.client_subject, r.client_sealed) : null;
    return { ...r, seq: Number(r.seq), ip: client?.ip ?? null, user_agent: client?.user_agent ?? null };
  }));
}

/** What a consent event keeps of the request that made it, sealed. */
export interface SealedClient {
  ip: string | null;
  user_agent: string | null;
}

/** Seal a request's IP and user agent under the subject's vault key; null when there is nothing to keep. */
export async function sealClient(tx: Tx, vault: Vault, subjectId: string | null, c: { ip?: string | null; userAgent?: string | null } | null | undefined): Promise<string | null> {
  if (!subjectId || !c || (!c.ip && !c.userAgent)) return null;
  return vault.seal(tx, subjectId, { ip: c.ip ?? null, user_agent: c.userAgent ?? null } satisfies SealedClient);
}

/**
 * Serialize writers on one subject for the rest of the transaction, so "record unless already in that state"
 * holds under concurrency (two GPC requests at once write one row).
 */
export async function lockConsentSubject(tx: Tx, s: ConsentSubject): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('consent:' || $1))`, [s.customerId ?? s.enrollmentId]);
}

/**
 * Customers whose current state for a purpose is "granted": newest event per customer, their enrollment's
 * pre-completion events included. Only ids and the customers' non-personal enrollment link are read here.
 */
export async function customersConsentingTo(db: Queryable, purpose: string): Promise<string[]> {
  const { rows } = await db.query<{ customer_id: string }>(
    `SELECT customer_id FROM (
       SELECT DISTINCT ON (coalesce(r.customer_id, c.id)) coalesce(r.customer_id, c.id) AS customer_id, r.granted
         FROM consent_records r
         LEFT JOIN customers c ON r.customer_id IS NULL AND c.enrollment_id = r.enrollment_id
        WHERE r.purpose = $1 AND coalesce(r.customer_id, c.id) IS NOT NULL
        ORDER BY coalesce(r.customer_id, c.id), r.recorded_at DESC, r.seq DESC) latest
      WHERE granted ORDER BY customer_id`,
    [purpose],
  );
  return rows.map((r) => r.customer_id);
}

/** The enrollment a customer came from and their first tenant: ids only, nothing personal. */
export async function customerLinks(db: Queryable, customerId: string): Promise<{ enrollmentId: string; tenantId: string | null } | null> {
  const { rows } = await db.query<{ enrollment_id: string; tenant_id: string | null }>(
    `SELECT c.enrollment_id, (SELECT m.tenant_id FROM memberships m WHERE m.customer_id = c.id ORDER BY m.created_at, m.tenant_id LIMIT 1) AS tenant_id
       FROM customers c WHERE c.id = $1`,
    [customerId],
  );
  return rows[0] ? { enrollmentId: rows[0].enrollment_id, tenantId: rows[0].tenant_id } : null;
}
