import type { Queryable } from '../db/index.js';

/** The gateway's SQL. Every function takes `db` explicitly; it may be a transaction. */
export interface TokenRow {
  id: string;
  pan_ciphertext: string;
  fingerprint: string;
  brand: string;
  last4: string;
  exp_month: number;
  exp_year: number;
  country: string | null;
  created_at: Date;
  consumed_at: Date | null;
}

export interface PaymentMethodRow {
  id: string;
  token_id: string;
  idempotency_key: string;
  fingerprint: string;
  brand: string;
  last4: string;
  exp_month: number;
  exp_year: number;
  country: string | null;
  /** Set when the cardholder passed a challenge: later off-session charges need none. */
  authenticated_at?: Date | null;
  /** The gateway customer it is saved on, if any (migration 070). */
  customer_id?: string | null;
}

/** What a charge request is, whether it ends as a charge or first waits on a challenge (same key, same request). */
interface ChargeRequest {
  id: string;
  idempotency_key: string;
  payment_method_id: string;
  amount: number;
  currency: string;
  kind: 'charge' | 'authorization';
}

export interface ChallengeRow extends ChargeRequest {
  status: 'pending' | 'succeeded' | 'failed' | 'expired';
  /** Fixed when it opens (PAYMENT_CHALLENGE_TTL_MINUTES): unanswered by then, it can no longer be approved. */
  expires_at: Date;
}

export interface ChargeRow extends ChargeRequest {
  captured: boolean;
  status: 'succeeded' | 'failed';
  decline_code: string | null;
}

export interface RefundRow {
  id: string;
  idempotency_key: string;
  charge_id: string;
  amount: number;
  currency: string;
  status: 'succeeded';
}

export async function insertToken(db: Queryable, t: Omit<TokenRow, 'consumed_at'>): Promise<void> {
  await db.query(
    `INSERT INTO gateway_tokens (id, pan_ciphertext, fingerprint, brand, last4, exp_month, exp_year, country, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [t.id, t.pan_ciphertext, t.fingerprint, t.brand, t.last4, t.exp_month, t.exp_year, t.country, t.created_at],
  );
}

/**
 * Exchange an unused token for a payment method under `key`, or read the method the key already names,
 * in ONE statement (each round trip costs both processes a wake-up). The insert is the single-use
 * guard: it copies the token only while unconsumed, and token_id is UNIQUE, so of racers on one token
 * exactly one inserts; the token is marked consumed by that insert's own statement, so a request that
 * loses (its key already taken by another token) consumes nothing and its token stays usable.
 * The row returned is ours (id = pm.id), the key's earlier one (a replay or a mismatch, the caller
 * decides), or null: the token was used or unknown, or the key's winner committed after this
 * statement's snapshot (ON CONFLICT waited for it, the SELECT cannot see it: a second read finds it).
 */
export async function insertPaymentMethodOnce(db: Queryable, pm: { id: string; token: string; idempotency_key: string }, at: Date): Promise<PaymentMethodRow | null> {
  const { rows } = await db.query<PaymentMethodRow>(
    `WITH ins AS (
       INSERT INTO gateway_payment_methods (id, token_id, idempotency_key, fingerprint, brand, last4, exp_month, exp_year, country, created_at)
       SELECT $1, t.id, $3, t.fingerprint, t.brand, t.last4, t.exp_month, t.exp_year, t.country, $4
         FROM gateway_tokens t WHERE t.id = $2 AND t.consumed_at IS NULL
       ON CONFLICT DO NOTHING RETURNING *),
     used AS (UPDATE gateway_tokens SET consumed_at = $4 WHERE id IN (SELECT token_id FROM ins))
     SELECT * FROM ins UNION ALL SELECT * FROM gateway_payment_methods WHERE idempotency_key = $3 LIMIT 1`,
    [pm.id, pm.token, pm.idempotency_key, at],
  );
  return rows[0] ?? (await findPaymentMethodByKey(db, pm.idempotency_key));
}

export async function findToken(db: Queryable, id: string): Promise<TokenRow | null> {
  const { rows } = await db.query<TokenRow>(`SELECT * FROM gateway_tokens WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

export async function findPaymentMethodByKey(db: Queryable, key: string): Promise<PaymentMethodRow | null> {
  const { rows } = await db.query<PaymentMethodRow>(`SELECT * FROM gateway_payment_methods WHERE idempotency_key = $1`, [key]);
  return rows[0] ?? null;
}

export type PaymentMethodWithPan = PaymentMethodRow & { pan_ciphertext: string };

/**
 * What a charge request needs to know, in one round trip: the charge its key already made, if any (a
 * replay), and the live payment method with its token's PAN ciphertext (only charge-time rules need it).
 */
export async function findChargeAndMethod(db: Queryable, key: string, paymentMethodId: string): Promise<{ prior: ChargeRow | null; pm: PaymentMethodWithPan | null }> {
  const { rows } = await db.query<PaymentMethodWithPan & { [k in keyof ChargeRow as `c_${k}`]: ChargeRow[k] | null }>(
    `SELECT c.id AS c_id, c.idempotency_key AS c_idempotency_key, c.payment_method_id AS c_payment_method_id, c.amount AS c_amount,
            c.currency AS c_currency, c.kind AS c_kind, c.captured AS c_captured, c.status AS c_status, c.decline_code AS c_decline_code,
            pm.*, t.pan_ciphertext
       FROM (SELECT 1) one
       LEFT JOIN gateway_charges c ON c.idempotency_key = $1
       LEFT JOIN (gateway_payment_methods pm JOIN gateway_tokens t ON t.id = pm.token_id) ON pm.id = $2 AND pm.deleted_at IS NULL`,
    [key, paymentMethodId],
  );
  const r = rows[0]!;
  const prior: ChargeRow | null = r.c_id === null ? null : {
    id: r.c_id, idempotency_key: r.c_idempotency_key!, payment_method_id: r.c_payment_method_id!, amount: r.c_amount!, currency: r.c_currency!,
    kind: r.c_kind!, captured: r.c_captured!, status: r.c_status!, decline_code: r.c_decline_code,
  };
  return { prior, pm: r.id === null ? null : r };
}

/**
 * Insert a row under its idempotency key unless the key exists; either way return the one row for the key (never
 * two). Insert-or-read is one statement; a second read only when neither branch saw a row (a concurrent inserter
 * committed after this statement's snapshot: ON CONFLICT waited for it, the SELECT cannot see it).
 */
async function insertOnceByKey<R>(db: Queryable, table: string, row: Record<string, unknown> & { idempotency_key: string }): Promise<R> {
  const columns = Object.keys(row);
  const { rows } = await db.query<R>(
    `WITH ins AS (
       INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})
       ON CONFLICT (idempotency_key) DO NOTHING RETURNING *)
     SELECT * FROM ins UNION ALL SELECT * FROM ${table} WHERE idempotency_key = $${columns.indexOf('idempotency_key') + 1} LIMIT 1`,
    Object.values(row),
  );
  const found = rows[0] ?? (await db.query<R>(`SELECT * FROM ${table} WHERE idempotency_key = $1`, [row.idempotency_key])).rows[0];
  if (!found) throw new Error(`${table} row vanished after insert`);
  return found;
}

/** The charge for this key: inserted, or the one the key already made (never two charges). */
export function insertChargeOnce(db: Queryable, c: ChargeRow, at: Date): Promise<ChargeRow> {
  return insertOnceByKey<ChargeRow>(db, 'gateway_charges', {
    id: c.id, idempotency_key: c.idempotency_key, payment_method_id: c.payment_method_id, amount: c.amount, currency: c.currency,
    kind: c.kind, captured: c.captured, status: c.status, decline_code: c.decline_code, created_at: at,
  });
}

/** The gateway customer for this key: inserted, or the one the key already made. */
export function insertCustomerOnce(db: Queryable, c: { id: string; idempotency_key: string; reference: string }, at: Date): Promise<{ id: string; reference: string }> {
  return insertOnceByKey(db, 'gateway_customers', { ...c, created_at: at });
}

export async function findCharge(db: Queryable, id: string): Promise<ChargeRow | null> {
  const { rows } = await db.query<ChargeRow>(`SELECT * FROM gateway_charges WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

export async function findRefundByKey(db: Queryable, key: string): Promise<RefundRow | null> {
  const { rows } = await db.query<RefundRow>(`SELECT * FROM gateway_refunds WHERE idempotency_key = $1`, [key]);
  return rows[0] ?? null;
}

/** Insert unless the key or the charge already has a refund; returns the row for the key, if any. */
export async function insertRefundOnce(db: Queryable, r: RefundRow, at: Date): Promise<RefundRow | null> {
  await db.query(
    `INSERT INTO gateway_refunds (id, idempotency_key, charge_id, amount, currency, status, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT DO NOTHING`,
    [r.id, r.idempotency_key, r.charge_id, r.amount, r.currency, r.status, at],
  );
  return findRefundByKey(db, r.idempotency_key);
}

/** Open the challenge for this key unless one exists; either way return the one row for the key. */
export async function insertChallengeOnce(db: Queryable, c: ChallengeRow, at: Date): Promise<ChallengeRow> {
  return challengeOf(await insertOnceByKey<ChallengeRow>(db, 'gateway_challenges', {
    id: c.id, idempotency_key: c.idempotency_key, payment_method_id: c.payment_method_id, amount: c.amount, currency: c.currency,
    kind: c.kind, status: c.status, created_at: at, expires_at: c.expires_at,
  }));
}

export async function findChallenge(db: Queryable, id: string): Promise<ChallengeRow | null> {
  const { rows } = await db.query<ChallengeRow>(`SELECT * FROM gateway_challenges WHERE id = $1`, [id]);
  return rows[0] ? challengeOf(rows[0]) : null;
}

/**
 * pending → succeeded | failed, once and only before its deadline: null when unknown, answered
 * already or expired (the WHERE is the guard, so an answer and an expiry racing see one winner).
 */
export async function answerChallenge(db: Queryable, id: string, status: 'succeeded' | 'failed', at: Date): Promise<ChallengeRow | null> {
  const { rows } = await db.query<ChallengeRow>(
    `UPDATE gateway_challenges SET status = $2, completed_at = $3 WHERE id = $1 AND status = 'pending' AND expires_at > $3 RETURNING *`,
    [id, status, at],
  );
  return rows[0] ? challengeOf(rows[0]) : null;
}

/** pending past its deadline → expired; either way the row as it now is (an answer that won the race stays). */
export async function expireChallenge(db: Queryable, id: string, at: Date): Promise<ChallengeRow> {
  await db.query(`UPDATE gateway_challenges SET status = 'expired', completed_at = $2 WHERE id = $1 AND status = 'pending' AND expires_at <= $2`, [id, at]);
  const row = await findChallenge(db, id);
  if (!row) throw new Error('challenge row vanished while expiring');
  return row;
}

/**
 * Retention: challenges whose deadline passed before `before`. Their outcome, if any, lives on in the
 * charge row of their key; a challenge is only worth keeping while an answer or a confirmation may come.
 */
export async function deleteExpiredChallenges(db: Queryable, before: Date): Promise<number> {
  return (await db.query(`DELETE FROM gateway_challenges WHERE expires_at < $1`, [before])).rowCount;
}

function challengeOf(r: ChallengeRow): ChallengeRow {
  return { ...r, amount: Number(r.amount), expires_at: new Date(r.expires_at) };
}

export async function markAuthenticated(db: Queryable, paymentMethodId: string, at: Date): Promise<void> {
  await db.query(`UPDATE gateway_payment_methods SET authenticated_at = coalesce(authenticated_at, $2) WHERE id = $1`, [paymentMethodId, at]);
}
