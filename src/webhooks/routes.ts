import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { receiveStripeEvent } from './receive-stripe-event.js';

/**
 * POST /v1/webhooks/stripe. The signature covers the exact bytes sent, so this
 * scope reads JSON bodies as raw strings; the event is parsed by the SDK only
 * after its signature checks out. Registered only when STRIPE_WEBHOOK_SECRET is set.
 */
export function webhookRoutes(deps: Deps, secret: string): FastifyPluginAsync {
  return async (app) => {
    app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 1024 * 1024 }, (_req, body, done) => done(null, body));
    app.post('/v1/webhooks/stripe', {
      config: { idempotencyStore: false },
      schema: { tags: ['webhooks'], summary: 'Stripe events: verified, stored once, processed from the outbox', response: { 200: z.object({ received: z.literal(true), duplicate: z.boolean() }) } },
    }, async (req) => {
      const r = await receiveStripeEvent(deps, {
        rawBody: String(req.body ?? ''), signature: req.headers['stripe-signature'] as string | undefined, secret, now: deps.clock.now(), requestId: req.id,
      });
      return { received: true as const, duplicate: r.duplicate };
    });
  };
}
