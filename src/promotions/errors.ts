import { defineErrors } from '../kernel/errors.js';

// Coupon codes carry the pricing_ prefix: to a client they are part of the price, and the codes are part of the contract.
export const promotionErrors = defineErrors({
  pricing_coupon_unknown: { status: 422, title: 'There is no such coupon code' },
  pricing_coupon_expired: { status: 422, title: 'This coupon is not valid at this time' },
  pricing_coupon_exhausted: { status: 422, title: 'This coupon has been fully redeemed' },
  pricing_coupon_not_applicable: { status: 422, title: 'This coupon does not apply to this plan, interval or currency' },
  pricing_referral_unknown: { status: 422, title: 'There is no such referral code' },
  pricing_referral_not_applicable: { status: 422, title: 'This referral code cannot be used here (your own code, or together with a coupon)' },
  promotion_coupon_exists: { status: 409, title: 'A coupon with this code exists already' },
});
