import type { Queryable } from '../db/index.js';
import { promotionErrors } from './errors.js';
import { findCoupon, type CouponRow } from './repository.js';

/** What a quote needs to price a coupon: the code and its percentage or fixed amount in the quote's currency. */
export interface CouponDiscount {
  kind: 'coupon';
  code: string;
  percentOff: number | null;
  amountOff: number | null;
  duration: CouponRow['duration'];
  durationMonths: number | null;
}

/**
 * Check a coupon for a selection and say how it discounts, or throw the
 * specific refusal: unknown, outside its validity window, fully redeemed, or
 * not for this plan, interval or currency. Exhaustion is checked again,
 * atomically, when the enrollment completes (takeRedemption).
 */
export async function resolveCoupon(
  db: Queryable,
  rawCode: string,
  s: { planId: string; interval: 'month' | 'year'; currency: string; now: Date },
): Promise<CouponDiscount> {
  const code = rawCode.trim().toUpperCase();
  const c = await findCoupon(db, code);
  if (!c) throw promotionErrors.pricing_coupon_unknown({ fields: { coupon: ['unknown'] } });
  if ((c.valid_from && s.now < c.valid_from) || (c.valid_until && s.now >= c.valid_until)) {
    throw promotionErrors.pricing_coupon_expired({ fields: { coupon: ['expired'] }, extra: { valid_from: c.valid_from?.toISOString() ?? null, valid_until: c.valid_until?.toISOString() ?? null } });
  }
  if (c.max_redemptions !== null && c.redeemed >= c.max_redemptions) throw promotionErrors.pricing_coupon_exhausted({ fields: { coupon: ['exhausted'] } });
  const amountOff = c.amount_off ? c.amount_off[s.currency] : undefined;
  const notFor = (c.plans.length > 0 && !c.plans.includes(s.planId)) || (c.intervals.length > 0 && !c.intervals.includes(s.interval)) || (c.amount_off && amountOff === undefined);
  if (notFor) throw promotionErrors.pricing_coupon_not_applicable({ fields: { coupon: ['not_applicable'] }, extra: { plans: c.plans, intervals: c.intervals } });
  return { kind: 'coupon', code: c.code, percentOff: c.percent_off, amountOff: amountOff ?? null, duration: c.duration, durationMonths: c.duration_months };
}
