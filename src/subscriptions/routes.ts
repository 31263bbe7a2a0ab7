import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { intervalSchema, quoteJsonSchema } from '../pricing/index.js';
import { requireSteppedUpSession } from '../sessions/index.js';
import { changePaymentMethod } from './change-payment-method.js';
import { schedulePlanChange } from './schedule-plan-change.js';

const params = z.object({ id: z.string().max(64) });
const tags = ['subscriptions'];

/**
 * Sensitive changes after enrollment. Each needs a session stepped up within
 * the last five minutes (a fresh passkey or one-time code): a stolen or
 * forgotten-open session alone cannot redirect billing.
 */
export function subscriptionRoutes(deps: Deps): FastifyPluginAsync {
  return async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.put('/v1/subscriptions/:id/payment-method', {
      schema: {
        tags, summary: 'Replace the card (needs a recent step-up); the new card is validated first', params,
        body: z.object({ token: z.string().max(200) }),
        response: { 200: z.object({ subscription_id: z.string(), payment_method: z.object({ id: z.string(), brand: z.string(), last4: z.string(), exp_month: z.number(), exp_year: z.number() }) }) },
      },
    }, async (req) => {
      const s = await requireSteppedUpSession(deps, req);
      return changePaymentMethod(deps, { subscriptionId: req.params.id, customerId: s.customer_id, token: req.body.token, now: deps.clock.now(), requestId: req.id });
    });

    r.put('/v1/subscriptions/:id/plan', {
      schema: {
        tags, summary: 'Switch plan or interval from the next period (needs a recent step-up); answers with the signed quote', params,
        body: z.object({ plan_id: z.string().max(64), interval: intervalSchema }),
        response: { 200: z.object({ subscription_id: z.string(), scheduled_change: z.object({ plan_id: z.string(), interval: intervalSchema, effective_at: z.string(), quote: quoteJsonSchema }) }) },
      },
    }, async (req) => {
      const s = await requireSteppedUpSession(deps, req);
      return schedulePlanChange(deps, { subscriptionId: req.params.id, customerId: s.customer_id, planId: req.body.plan_id, interval: req.body.interval, now: deps.clock.now(), requestId: req.id });
    });
  };
}
