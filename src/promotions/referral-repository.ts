import type { Queryable } from '../db/index.js';

export async function findReferralCode(db: Queryable, code: string): Promise<{ code: string; customer_id: string } | null> {
  const { rows } = await db.query<{ code: string; customer_id: string }>(
    `SELECT r.code, r.customer_id FROM referral_codes r WHERE r.code = $1`,
    [code],
  );
  return rows[0] ?? null;
}

/** The customer's code, created on first ask (a race between two asks keeps one). */
export async function ensureReferralCode(db: Queryable, customerId: string, candidate: string, now: Date): Promise<string> {
  await db.query(`INSERT INTO referral_codes (code, customer_id, created_at) VALUES ($1, $2, $3) ON CONFLICT (customer_id) DO NOTHING`, [candidate, customerId, now]);
  const { rows } = await db.query<{ code: string }>(`SELECT code FROM referral_codes WHERE customer_id = $1`, [customerId]);
  return rows[0]!.code;
}

export async function referralStats(db: Queryable, customerId: string) {
  const { rows } = await db.query<{ referrals: number; rewarded: number }>(
    `SELECT count(*)::int AS referrals, count(*) FILTER (WHERE rewarded)::int AS rewarded FROM referrals WHERE referrer_customer_id = $1`,
    [customerId],
  );
  const credit = await db.query<{ currency: string; amount: number }>(
    `SELECT currency, sum(amount)::bigint AS amount FROM customer_credits WHERE customer_id = $1 GROUP BY currency ORDER BY currency`,
    [customerId],
  );
  return { ...rows[0]!, credit: credit.rows.map((r) => ({ currency: r.currency, amount: Number(r.amount) })) };
}

/**
 * Record the referral and, while the referrer is under the cap, their credit.
 * The count and the insert are one statement, so parallel referrals cannot
 * push a referrer past the cap.
 */
export async function recordReferral(
  db: Queryable,
  r: { id: string; creditId: string; code: string; referrerId: string; refereeEnrollmentId: string; refereeCustomerId: string; discount: number; currency: string; credit: number | null; creditCurrency: string; maxRewards: number; now: Date },
): Promise<{ rewarded: boolean }> {
  const { rows } = await db.query<{ rewarded: boolean }>(
    `WITH lock AS (SELECT id FROM customers WHERE id = $3 FOR UPDATE),
          ok AS (SELECT $9::bigint IS NOT NULL AND (SELECT count(*) FROM referrals WHERE referrer_customer_id = $3 AND rewarded) < $11 AS rewarded FROM lock),
          ref AS (
            INSERT INTO referrals (id, code, referrer_customer_id, referee_enrollment_id, referee_customer_id, referee_discount, currency, rewarded, created_at)
            SELECT $1, $2, $3, $4, $5, $6, $7, ok.rewarded, $12 FROM ok RETURNING rewarded),
          credit AS (
            INSERT INTO customer_credits (id, customer_id, amount, currency, reason, reference, created_at)
            SELECT $8, $3, $9, $10, 'referral', $1, $12 FROM ref WHERE ref.rewarded)
     SELECT rewarded FROM ref`,
    [r.id, r.code, r.referrerId, r.refereeEnrollmentId, r.refereeCustomerId, r.discount, r.currency, r.creditId, r.credit, r.creditCurrency, r.maxRewards, r.now],
  );
  return { rewarded: rows[0]?.rewarded ?? false };
}

/** The currency the referrer is billed in (their first subscription's). */
export async function referrerCurrency(db: Queryable, customerId: string): Promise<string | null> {
  const { rows } = await db.query<{ currency: string }>(`SELECT currency FROM subscriptions WHERE customer_id = $1 ORDER BY created_at LIMIT 1`, [customerId]);
  return rows[0]?.currency ?? null;
}
