import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { SESSION_COOKIE } from './cookie.js';
import { requireSession } from './require-session.js';
import { revokeSession } from './revoke-session.js';

const currentSchema = z.object({
  id: z.string(),
  customer_id: z.string(),
  method: z.string(),
  stepped_up_at: z.string().nullable(),
  expires_at: z.string(),
});

/** The signed-in customer's own session: who am I, and log out. */
export function sessionRoutes(deps: Deps): FastifyPluginAsync {
  return async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.get('/v1/sessions/current', {
      schema: { tags: ['sessions'], summary: 'The session the cookie names', response: { 200: currentSchema } },
    }, async (req) => {
      const s = await requireSession(deps, req);
      return {
        id: s.id,
        customer_id: s.customer_id,
        method: s.method,
        stepped_up_at: s.stepped_up_at?.toISOString() ?? null,
        expires_at: s.expires_at.toISOString(),
      };
    });

    r.post('/v1/sessions/logout', {
      config: { idempotencyStore: false },
      schema: { tags: ['sessions'], summary: 'Revoke the current session and clear its cookie', response: { 204: z.null() } },
    }, async (req, reply) => {
      await revokeSession(deps.db, { token: req.cookies[SESSION_COOKIE], key: deps.keys.sessions, now: deps.clock.now(), requestId: req.id });
      return reply.clearCookie(SESSION_COOKIE, { path: '/', secure: true, httpOnly: true, sameSite: 'lax' }).status(204).send(null);
    });
  };
}
