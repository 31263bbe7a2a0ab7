import type { Queryable, Tx } from '../db/index.js';

/** The customer holding this address; `exceptEnrollment` ignores the one that enrollment itself created. */
export async function findCustomerIdByEmail(db: Queryable, emailNormalized: string, exceptEnrollment?: string): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>(
    'SELECT id FROM customers WHERE email_normalized = $1 AND enrollment_id IS DISTINCT FROM $2',
    [emailNormalized, exceptEnrollment ?? null],
  );
  return rows[0]?.id ?? null;
}

/** null when the address already belongs to a customer: the unique index decides, not a prior read. */
export async function insertCustomer(
  tx: Tx,
  c: { id: string; email: string; emailNormalized: string; givenName: string; familyName: string; phone: string | null; country: string; locale: string; enrollmentId: string; now: Date },
): Promise<string | null> {
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO customers (id, email, email_normalized, given_name, family_name, phone, country, locale, enrollment_id, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (email_normalized) DO NOTHING RETURNING id`,
    [c.id, c.email, c.emailNormalized, c.givenName, c.familyName, c.phone, c.country, c.locale, c.enrollmentId, c.now],
  );
  return rows[0]?.id ?? null;
}

export async function getCustomer(db: Queryable, id: string) {
  const { rows } = await db.query<{ id: string; email: string; given_name: string; family_name: string; locale: string; country: string }>(
    'SELECT id, email, given_name, family_name, locale, country FROM customers WHERE id = $1',
    [id],
  );
  return rows[0] ?? null;
}
