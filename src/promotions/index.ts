export { promotionRoutes } from './routes.js';
export { promotionErrors } from './errors.js';
export { resolveCoupon, type CouponDiscount } from './resolve-coupon.js';
export { createCoupon } from './create-coupon.js';
export { takeRedemption, findCoupon } from './repository.js';
export { couponOfQuote } from './coupon-line.js';
