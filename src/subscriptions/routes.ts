import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { intervalSchema, quoteJsonSchema } from '../pricing/index.js';
import { requireSteppedUpSession } from '../sessions/index.js';
import { requestLocale } from '../i18n/index.js';
import { changePaymentMethod } from './change-payment-method.js';
import { applyPlanChange } from './apply-plan-change.js';
import { previewPlanChange } from './preview-plan-change.js';

const params = z.object({ id: z.string().max(64) });
const tags = ['subscriptions'];
const previewSchema = z.object({
  id: z.string().describe('Pass as change_id to /change'),
  subscription_id: z.string(),
  direction: z.enum(['upgrade', 'downgrade', 'interval_change']),
  effective: z.enum(['immediate', 'period_end']),
  effective_at: z.string(),
  currency: z.string(),
  proration: z.object({ credit: z.number().int(), charge: z.number().int() }).describe('Minor units; zero when the change waits for the period end'),
  amount_due_now: z.number().int(),
  next_period_amount: z.number().int(),
  quote: quoteJsonSchema,
  expires_at: z.string(),
});

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
        tags, summary: 'Replace the card (needs a recent step-up); the new card is validated first. A card that needs 3-D Secure answers 402 payment_authentication_required with next_action: send the same request again after the challenge', params,
        body: z.object({ token: z.string().max(200) }),
        response: { 200: z.object({ subscription_id: z.string(), payment_method: z.object({ id: z.string(), brand: z.string(), last4: z.string(), exp_month: z.number(), exp_year: z.number() }) }) },
      },
    }, async (req) => {
      const s = await requireSteppedUpSession(deps, req);
      return changePaymentMethod(deps, {
        subscriptionId: req.params.id, customerId: s.customer_id, token: req.body.token, now: deps.clock.now(), requestId: req.id,
        // Where the challenge page reports back to, and in which language it asks.
        ...(typeof req.headers.origin === 'string' ? { origin: req.headers.origin } : {}),
        locale: requestLocale(undefined, req.headers['accept-language']) ?? 'en',
      });
    });

    const changeBody = z.object({ plan_id: z.string().max(64), interval: intervalSchema });
    r.post('/v1/subscriptions/:id/change-preview', {
      config: { idempotencyStore: false },
      schema: {
        tags, summary: 'Preview a plan or interval change: when it applies, proration, amount due now (needs a recent step-up)', params, body: changeBody,
        response: { 200: previewSchema },
      },
    }, async (req) => {
      const s = await requireSteppedUpSession(deps, req);
      return previewPlanChange(deps, { subscriptionId: req.params.id, customerId: s.customer_id, planId: req.body.plan_id, interval: req.body.interval, now: deps.clock.now(), requestId: req.id });
    });

    r.post('/v1/subscriptions/:id/change', {
      schema: {
        tags, summary: 'Apply a previewed change exactly as shown (needs a recent step-up)', params,
        body: z.object({ change_id: z.string().max(64) }),
        response: { 200: z.object({ subscription_id: z.string(), change_id: z.string(), effective: z.enum(['immediate', 'period_end']), effective_at: z.string(), amount_charged: z.number().int(), currency: z.string() }) },
      },
    }, async (req) => {
      const s = await requireSteppedUpSession(deps, req);
      return applyPlanChange(deps, { subscriptionId: req.params.id, customerId: s.customer_id, changeId: req.body.change_id, now: deps.clock.now(), requestId: req.id });
    });
  };
}
