import type { Queryable, Tx } from '../db/index.js';
import type { Vault } from '../vault/index.js';

/** The customer holding this address (by its keyed hash); `exceptEnrollment` ignores the one that enrollment itself created. */
export async function findCustomerIdByEmailHash(db: Queryable, emailHash: string, exceptEnrollment?: string): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>(
    'SELECT id FROM customers WHERE email_hash = $1 AND enrollment_id IS DISTINCT FROM $2',
    [emailHash, exceptEnrollment ?? null],
  );
  return rows[0]?.id ?? null;
}

/**
 * null when the address already belongs to a customer: the unique index on the keyed hash decides, not a
 * prior read. `piiSealed` is the enrollment's sealed profile, under the same subject key (the enrollment).
 */
export async function insertCustomer(
  tx: Tx,
  c: { id: string; piiSealed: string; emailHash: string; country: string; locale: string; enrollmentId: string; now: Date },
): Promise<string | null> {
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO customers (id, pii_sealed, email_hash, country, locale, enrollment_id, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (email_hash) DO NOTHING RETURNING id`,
    [c.id, c.piiSealed, c.emailHash, c.country, c.locale, c.enrollmentId, c.now],
  );
  return rows[0]?.id ?? null;
}

export interface CustomerProfile {
  id: string;
  email: string;
  given_name: string;
  family_name: string;
  phone: string | null;
  locale: string;
  country: string;
  enrollment_id: string;
}

interface SealedCustomer {
  profile: { given_name: string; family_name: string; email: string; phone?: string | null };
  email_normalized: string;
}

/** The customer with their personal fields opened by the vault; null when unknown or erased (key shredded). */
export async function getCustomer(db: Queryable, id: string, vault: Vault): Promise<CustomerProfile | null> {
  const { rows } = await db.query<{ id: string; pii_sealed: string | null; enrollment_id: string; locale: string; country: string; key_version: number | null; wrapped_key: string | null }>(
    `SELECT c.id, c.pii_sealed, c.enrollment_id, c.locale, c.country, k.key_version, k.wrapped_key
       FROM customers c LEFT JOIN subject_keys k ON k.subject_id = c.enrollment_id WHERE c.id = $1`,
    [id],
  );
  const row = rows[0];
  if (!row?.pii_sealed || row.key_version === null || row.wrapped_key === null) return null;
  const pii = await vault.openWith<SealedCustomer>({ key_version: row.key_version, wrapped_key: row.wrapped_key }, row.enrollment_id, row.pii_sealed);
  if (!pii) return null;
  const { profile } = pii;
  return {
    id: row.id, email: profile.email, given_name: profile.given_name, family_name: profile.family_name, phone: profile.phone ?? null,
    locale: row.locale, country: row.country, enrollment_id: row.enrollment_id,
  };
}
