import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { isAdmin } from '../http/auth.js';
import { httpErrors } from '../http/errors.js';
import { currentSession } from '../sessions/index.js';
import { erasureErrors } from './errors.js';
import { requestErasure } from './request-erasure.js';
import { erasureInput, erasureView } from './schemas.js';

/** DELETE /v1/customers/{id}: the admin key, or the customer's own dashboard session. */
export function erasureRoutes(deps: Deps): FastifyPluginAsync {
  return async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.delete('/v1/customers/:id', {
      schema: {
        tags: ['compliance'], summary: 'Erase a customer (GDPR art. 17 / CCPA): 202 with the request and its statutory deadline',
        params: z.object({ id: z.string().max(64) }), body: erasureInput.nullish(), response: { 202: erasureView }, security: [{ adminKey: [] }],
      },
    }, async (req, reply) => {
      let requestedBy: 'admin' | 'customer' = 'admin';
      if (!isAdmin(req, deps.config.adminApiKey)) {
        const s = await currentSession(deps, req);
        if (!s) throw httpErrors.auth_required();
        if (s.customer_id !== req.params.id) throw erasureErrors.erasure_customer_not_found();
        requestedBy = 'customer';
      }
      const e = await requestErasure(deps, { customerId: req.params.id, regime: req.body?.regime, requestedBy, requestId: req.id, now: deps.clock.now() });
      return reply.status(202).send({
        id: e.id, customer_id: e.customer_id, regime: e.regime, status: e.status, requested_at: e.requested_at.toISOString(), due_at: e.due_at.toISOString(),
      });
    });
  };
}
