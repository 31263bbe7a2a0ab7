import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { isAdmin } from '../http/auth.js';
import { httpErrors } from '../http/errors.js';
import { currentSession } from '../sessions/index.js';
import { memberPermissions } from '../tenants/index.js';
import { verifyAuditChain } from './verify-chain.js';

const reportSchema = z.object({
  ok: z.boolean(),
  events: z.number().int(),
  first_broken: z
    .object({ event_id: z.string().nullable(), chain: z.string(), chain_seq: z.number().int(), reason: z.enum(['hash_mismatch', 'link_mismatch', 'sequence_gap', 'head_mismatch']) })
    .optional(),
});

/**
 * GET /v1/audit/verify: the admin key verifies every chain; a tenant's owner (dashboard session,
 * `tenant.manage`) verifies their own tenant's chain with ?tenant_id=. A customer who may not
 * learns nothing, not even whether the tenant exists (404 as for the tenant API).
 */
export function auditRoutes(deps: Deps): FastifyPluginAsync {
  return async (app) => {
    app.withTypeProvider<ZodTypeProvider>().get('/v1/audit/verify', {
      schema: {
        tags: ['audit'],
        summary: 'Verify the tamper-evident audit chains; report the first broken link',
        querystring: z.object({ tenant_id: z.string().max(64).optional() }),
        response: { 200: reportSchema },
        security: [{ adminKey: [] }],
      },
    }, async (req) => {
      const tenantId = req.query.tenant_id;
      if (isAdmin(req, deps.config.adminApiKey)) return verifyAuditChain(deps.db, { tenantId });
      const s = await currentSession(deps, req);
      if (!s) throw httpErrors.auth_required();
      if (!tenantId) throw httpErrors.auth_forbidden({ extra: { required_permission: 'admin' } });
      const perms = await deps.db.transaction((tx) => memberPermissions(tx, tenantId, s.customer_id), { tenantId });
      if (!perms?.includes('tenant.manage')) throw httpErrors.auth_forbidden({ extra: { required_permission: 'tenant.manage' } });
      return verifyAuditChain(deps.db, { tenantId });
    });
  };
}
