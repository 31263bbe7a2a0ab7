import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { requireAdmin } from '../http/auth.js';
import { listReports } from './reconcile.js';

const finding = z.object({ kind: z.enum(['orphan_charge', 'missed_refund', 'refund_mismatch', 'unknown_at_gateway', 'amount_mismatch', 'missed_dispute', 'dispute_status_behind']), charge_id: z.string(), fixed: z.boolean(), detail: z.record(z.string(), z.unknown()) });
const report = z.object({
  id: z.string(), gateway: z.string(), since: z.string(), until: z.string(),
  summary: z.object({ gateway_charges: z.number().int(), local_payments: z.number().int(), matched: z.number().int(), fixed: z.number().int(), to_review: z.number().int() }),
  findings: z.array(finding),
});

/** GET /v1/reconciliation/reports (admin): the latest runs, newest first. */
export function reconciliationRoutes(deps: Deps): FastifyPluginAsync {
  return async (app) => {
    app.withTypeProvider<ZodTypeProvider>().get('/v1/reconciliation/reports', {
      schema: { tags: ['reconciliation'], summary: 'Reconciliation runs: what matched, what was fixed, what needs a person', response: { 200: z.object({ reports: z.array(report) }) }, security: [{ adminKey: [] }] },
    }, async (req) => {
      requireAdmin(req, deps.config.adminApiKey);
      return { reports: await listReports(deps.db) };
    });
  };
}
