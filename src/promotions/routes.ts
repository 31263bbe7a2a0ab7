import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { requireAdmin } from '../http/auth.js';
import { couponToJson, createCoupon } from './create-coupon.js';
import { promotionErrors } from './errors.js';
import { findCoupon } from './repository.js';
import { getReferralCode } from './get-referral-code.js';
import { requireSession } from '../sessions/index.js';
import { couponCodeParam, couponSchema, createCouponBody } from './schemas.js';

/** Coupons are run by the business without code: an admin creates them; customers name them at plan selection. */
export function promotionRoutes(deps: Deps): FastifyPluginAsync {
  return async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const admin = (req: FastifyRequest) => {
      requireAdmin(req, deps.config.adminApiKey);
    };
    const security = [{ adminKey: [] }];

    r.post('/v1/admin/coupons', {
      schema: { tags: ['promotions'], summary: 'Create a coupon (percent or fixed amount per currency; once, N months or forever)', body: createCouponBody, response: { 201: couponSchema }, security },
    }, async (req, reply) => {
      admin(req);
      return reply.status(201).send(couponToJson(await createCoupon(deps.db, req.body, { now: deps.clock.now(), requestId: req.id })));
    });

    r.get('/v1/referrals/me', {
      schema: {
        tags: ['promotions'], summary: 'Your referral code (made on first ask), referrals made and credit earned',
        response: { 200: z.object({ code: z.string(), referrals: z.number().int(), rewarded: z.number().int(), credit: z.array(z.object({ currency: z.string(), amount: z.number().int() })) }) },
      },
    }, async (req) => {
      const s = await requireSession(deps, req);
      return getReferralCode(deps.db, s.customer_id, deps.clock.now());
    });

    r.get('/v1/admin/coupons/:code', {
      schema: { tags: ['promotions'], summary: 'A coupon with its redemption count', params: z.object({ code: couponCodeParam }), response: { 200: couponSchema }, security },
    }, async (req) => {
      admin(req);
      const c = await findCoupon(deps.db, req.params.code);
      if (!c) throw promotionErrors.pricing_coupon_unknown();
      return couponToJson(c);
    });
  };
}
