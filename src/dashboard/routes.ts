import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { scopedDb } from '../db/index.js';
import { isAdmin } from '../http/auth.js';
import { httpErrors } from '../http/errors.js';
import { listSubscriptions } from '../subscriptions/index.js';
import { getTenant, isMember, tenantErrors } from '../tenants/index.js';
import { currentSession, SESSION_COOKIE, sessionCookieOptions } from '../sessions/index.js';
import { redeemDashboardLink } from './dashboard-link.js';
import { requestSignInLink } from './request-sign-in-link.js';
import { getMe, tenantOfPrincipal } from './get-me.js';
import { renderDashboard } from './render-dashboard.js';

const card = z.object({ brand: z.string(), last4: z.string(), exp_month: z.number().nullable(), exp_year: z.number().nullable() });
const meSchema = z.object({
  customer: z.object({ id: z.string(), given_name: z.string(), family_name: z.string(), email: z.string(), locale: z.string(), country: z.string() }),
  tenant: z.object({ id: z.string(), name: z.string(), members: z.array(z.object({ customer_id: z.string(), roles: z.array(z.string()) })) }).nullable(),
  subscriptions: z.array(z.object({
    id: z.string(), plan_id: z.string(), plan_name: z.string(), status: z.string(), interval: z.string(), currency: z.string(), amount: z.number().int(),
    current_period_end: z.string(), trial_end: z.string().nullable(), payment_method: card.nullable(),
  })),
  passkeys: z.array(z.object({ id: z.string(), created_at: z.string(), last_used_at: z.string().nullable(), backed_up: z.boolean() })),
});

const tenantSchema = z.object({
  id: z.string(),
  name: z.string(),
  owner_customer_id: z.string(),
  created_at: z.string(),
  roles: z.array(z.object({ name: z.string(), permissions: z.array(z.string()) })),
  members: z.array(z.object({ customer_id: z.string(), roles: z.array(z.string()), permissions: z.array(z.string()) })),
});

/** The owner's first landing: one-time link → session cookie → the dashboard; and the tenant API. */
export function dashboardRoutes(deps: Deps): FastifyPluginAsync {
  return async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();

    const principal = async (req: FastifyRequest) => {
      if (isAdmin(req, deps.config.adminApiKey)) return { type: 'admin' as const };
      const s = await currentSession(deps, req);
      return s ? { type: 'customer' as const, id: s.customer_id } : null;
    };

    r.get('/v1/tenants/:id', {
      schema: { tags: ['tenants'], summary: 'A tenant with its members, roles and permissions', params: z.object({ id: z.string().max(64) }), response: { 200: tenantSchema }, security: [{ adminKey: [] }] },
    }, async (req) => {
      const who = await principal(req);
      if (!who) throw httpErrors.auth_required();
      // Admin or member, the transaction sees this one tenant's rows (row-level security), nothing else.
      const tenant = await deps.db.transaction(async (tx) => {
        // A customer who is not a member learns nothing, not even that the tenant exists.
        if (who.type === 'customer' && !(await isMember(tx, req.params.id, who.id))) return null;
        return getTenant(tx, req.params.id);
      }, { tenantId: req.params.id });
      if (!tenant) throw tenantErrors.tenant_not_found();
      return tenant;
    });

    r.post('/v1/sessions/email-link', {
      config: { idempotencyStore: false },
      schema: {
        tags: ['sessions'],
        summary: 'Email me a sign-in link: answers 202 whether or not the address has an account, and sends a one-time link (30 minutes) only when it does',
        body: z.object({ email: z.string().max(320) }),
        response: { 202: z.object({ status: z.literal('accepted') }) },
      },
    }, async (req, reply) => {
      await requestSignInLink(deps, { email: req.body.email, now: deps.clock.now(), requestId: req.id });
      return reply.status(202).send({ status: 'accepted' as const });
    });

    r.get('/v1/me', {
      schema: { tags: ['dashboard'], summary: 'The signed-in customer: profile, workspace, subscriptions with their card, passkeys', response: { 200: meSchema } },
    }, async (req) => {
      const s = await currentSession(deps, req);
      if (!s) throw httpErrors.auth_required();
      const me = await getMe(deps, s.customer_id);
      if (!me) throw httpErrors.auth_required(); // an erased customer's leftover session
      return me;
    });

    r.get('/app', {
      schema: { tags: ['dashboard'], summary: 'Dashboard; ?token= signs the owner in from the welcome email', querystring: z.object({ token: z.string().max(200).optional() }) },
    }, async (req, reply) => {
      if (req.query.token) {
        // The link names its tenant only once found by its token's hash: finding it is system work, by name.
        const s = await redeemDashboardLink(scopedDb(deps.db, { system: 'dashboard-link-redeem' }), {
          token: req.query.token,
          linkKey: deps.keys.links,
          sessionKey: deps.keys.sessions,
          now: deps.clock.now(),
          presented: req.cookies[SESSION_COOKIE],
          requestId: req.id,
        });
        reply.setCookie(SESSION_COOKIE, s.sessionToken, sessionCookieOptions());
        // Drop the token from the address bar and from any Referer; land in the web app's dashboard.
        return reply.redirect('/dashboard', 303);
      }
      const who = await principal(req);
      if (!who || who.type !== 'customer') throw httpErrors.auth_required();
      // Everything shown is read in the signed-in customer's tenant's scope.
      const tenantId = await tenantOfPrincipal(deps.db, who.id);
      const view = tenantId
        ? await deps.db.transaction(async (tx) => {
            const tenant = await getTenant(tx, tenantId);
            return tenant ? { tenant, subscriptions: await listSubscriptions(tx, tenant.id) } : null;
          }, { tenantId })
        : null;
      if (!view) throw tenantErrors.tenant_not_found();
      const { tenant, subscriptions } = view;
      reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'");
      return reply.type('text/html; charset=utf-8').send(renderDashboard({ tenant, subscriptions, customerId: who.id }));
    });
  };
}
