import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { requireAdmin } from '../http/auth.js';
import type { FlowContext } from './context.js';
import { loadEnrollment } from './load-enrollment.js';
import { listPendingReviews, type Enrollment } from './repository.js';
import { resolveReview } from './resolve-review.js';

const params = z.object({ id: z.string().max(64) });
const reason = z.object({ code: z.string(), score: z.number() });
const riskReviewSchema = z.object({
  enrollment_id: z.string(),
  status: z.string(),
  channel: z.string(),
  // For a held enrollment: since when it waits.
  updated_at: z.string(),
  risk: z
    .object({
      score: z.number(),
      decision: z.enum(['allow', 'challenge', 'review', 'deny']),
      reasons: z.array(reason),
      stages: z.object({ profile: z.array(reason).optional(), payment: z.array(reason).optional() }),
      ip_country: z.string().nullable(),
      review: z.object({ approved: z.array(z.string()), at: z.string() }).optional(),
    })
    .nullable(),
});
const opts = { tags: ['admin'], params, response: { 200: riskReviewSchema }, security: [{ adminKey: [] }] };

const reviewView = (e: Enrollment) => ({ enrollment_id: e.id, status: e.state, channel: e.channel, updated_at: e.updated_at.toISOString(), risk: e.risk });

/** Admin (Bearer ADMIN_API_KEY): the risk reasons of an enrollment, and the verdict on one held for review. */
export function reviewRoutes(deps: Deps): FastifyPluginAsync {
  return async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    // Checked before anything else: without the key, nobody learns whether an enrollment exists or why it was held.
    const admin = async (req: FastifyRequest) => {
      requireAdmin(req, deps.config.adminApiKey);
    };
    const ctx = (req: FastifyRequest): FlowContext => ({ requestId: req.id, actor: { type: 'admin' }, channel: 'admin', now: deps.clock.now() });

    r.get('/v1/admin/reviews', {
      onRequest: admin,
      schema: { tags: ['admin'], summary: 'Enrollments held for review, oldest first (at most 100)', response: { 200: z.object({ data: z.array(riskReviewSchema) }) }, security: [{ adminKey: [] }] },
    }, async () => ({ data: (await listPendingReviews(deps.db, 100, deps.vault)).map(reviewView) }));

    r.get('/v1/admin/enrollments/:id/risk', { onRequest: admin, schema: { ...opts, summary: 'Risk score, decision and reasons of an enrollment' } },
      async (req) => reviewView(await loadEnrollment(deps.db, req.params.id, deps.vault)));

    r.post('/v1/admin/enrollments/:id/review/approve', { onRequest: admin, schema: { ...opts, summary: 'Approve an enrollment held for review; the customer may complete' } },
      async (req) => reviewView(await resolveReview(deps, req.params.id, 'approve', ctx(req))));

    r.post('/v1/admin/enrollments/:id/review/reject', { onRequest: admin, schema: { ...opts, summary: 'Reject an enrollment held for review (terminal)' } },
      async (req) => reviewView(await resolveReview(deps, req.params.id, 'reject', ctx(req))));
  };
}
