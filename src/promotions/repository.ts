import type { Queryable } from '../db/index.js';

export interface CouponRow {
  code: string;
  percent_off: number | null;
  amount_off: Record<string, number> | null;
  duration: 'once' | 'repeating' | 'forever';
  duration_months: number | null;
  plans: string[];
  intervals: string[];
  valid_from: Date | null;
  valid_until: Date | null;
  max_redemptions: number | null;
  redeemed: number;
  created_at: Date;
}

export async function insertCoupon(db: Queryable, c: Omit<CouponRow, 'redeemed' | 'created_at'>, now: Date): Promise<boolean> {
  const { rows } = await db.query(
    `INSERT INTO coupons (code, percent_off, amount_off, duration, duration_months, plans, intervals, valid_from, valid_until, max_redemptions, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (code) DO NOTHING RETURNING code`,
    [c.code, c.percent_off, c.amount_off ? JSON.stringify(c.amount_off) : null, c.duration, c.duration_months, c.plans, c.intervals, c.valid_from, c.valid_until, c.max_redemptions, now],
  );
  return rows.length === 1;
}

export async function findCoupon(db: Queryable, code: string): Promise<CouponRow | null> {
  const { rows } = await db.query<CouponRow>(`SELECT * FROM coupons WHERE code = $1`, [code]);
  return rows[0] ?? null;
}

/**
 * Take one redemption, atomically: the guard and the increment are one UPDATE,
 * so of 50 concurrent completions on a coupon with 10 left exactly 10 get one.
 * The unique (coupon, enrollment) row makes a retried completion count once.
 */
export async function takeRedemption(
  db: Queryable,
  r: { id: string; code: string; enrollmentId: string; customerId: string; subscriptionId: string; amountOff: number; currency: string; now: Date },
): Promise<boolean> {
  const { rows } = await db.query(
    `WITH taken AS (
       UPDATE coupons SET redeemed = redeemed + 1
        WHERE code = $2 AND (max_redemptions IS NULL OR redeemed < max_redemptions)
          AND NOT EXISTS (SELECT 1 FROM coupon_redemptions WHERE coupon_code = $2 AND enrollment_id = $3)
        RETURNING code, percent_off, amount_off, duration, duration_months),
     sub AS (
       -- The subscription keeps what it was sold with, for renewals to apply for the coupon's duration.
       UPDATE subscriptions SET discount = (SELECT jsonb_build_object('coupon', code, 'percent_off', percent_off, 'amount_off', amount_off,
                                                                     'duration', duration, 'duration_months', duration_months) FROM taken)
        WHERE id = $5 AND EXISTS (SELECT 1 FROM taken))
     INSERT INTO coupon_redemptions (id, coupon_code, enrollment_id, customer_id, subscription_id, amount_off, currency, created_at)
     SELECT $1, code, $3, $4, $5, $6, $7, $8 FROM taken
     RETURNING id`,
    [r.id, r.code, r.enrollmentId, r.customerId, r.subscriptionId, r.amountOff, r.currency, r.now],
  );
  return rows.length === 1;
}
