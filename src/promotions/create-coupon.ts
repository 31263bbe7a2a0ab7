import { recordEvent } from '../audit/index.js';
import type { Db } from '../db/index.js';
import { promotionErrors } from './errors.js';
import { findCoupon, insertCoupon, type CouponRow } from './repository.js';
import type { CreateCouponInput } from './schemas.js';

/** Create a coupon (admin). Codes are upper-case and never reused. */
export async function createCoupon(db: Db, input: CreateCouponInput, ctx: { now: Date; requestId?: string }): Promise<CouponRow> {
  return db.transaction(async (tx) => {
    const inserted = await insertCoupon(tx, {
      code: input.code,
      percent_off: input.percent_off ?? null,
      amount_off: input.amount_off ?? null,
      duration: input.duration,
      duration_months: input.duration_months ?? null,
      plans: input.plans,
      intervals: input.intervals,
      valid_from: input.valid_from ? new Date(input.valid_from) : null,
      valid_until: input.valid_until ? new Date(input.valid_until) : null,
      max_redemptions: input.max_redemptions ?? null,
    }, ctx.now);
    if (!inserted) throw promotionErrors.promotion_coupon_exists({ fields: { code: ['taken'] } });
    await recordEvent(tx, { action: 'coupon.created', actor: { type: 'admin' }, requestId: ctx.requestId, subject: { type: 'coupon', id: input.code }, data: { ...input } });
    return (await findCoupon(tx, input.code))!;
  });
}

export function couponToJson(c: CouponRow) {
  return {
    code: c.code,
    percent_off: c.percent_off,
    amount_off: c.amount_off,
    duration: c.duration,
    duration_months: c.duration_months,
    plans: c.plans,
    intervals: c.intervals,
    valid_from: c.valid_from?.toISOString() ?? null,
    valid_until: c.valid_until?.toISOString() ?? null,
    max_redemptions: c.max_redemptions,
    redeemed: c.redeemed,
  };
}
