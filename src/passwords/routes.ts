import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { SESSION_COOKIE, sessionCookieOptions } from '../sessions/index.js';
import { setPassword } from './set-password.js';
import { signInWithPassword } from './sign-in-with-password.js';

// Generous bound on the raw input (Argon2 input size), well above the 128-character rule, so an overlong password gets
// the precise `too_long` code from the policy rather than a schema error.
const passwordField = z.string().max(4096);

/** Optional passwords: set one during enrollment; sign in with it later. */
export function passwordRoutes(deps: Deps): FastifyPluginAsync {
  return async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.put('/v1/enrollments/:id/password', {
      schema: {
        tags: ['passwords'],
        summary: 'Optionally set a password (8–128 characters, not a common one); passkey-first accounts have none',
        params: z.object({ id: z.string().max(64) }),
        body: z.object({ password: passwordField }),
        response: { 204: z.null() },
      },
    }, async (req, reply) => {
      await setPassword(deps, req.params.id, req.body.password, {
        requestId: req.id, actor: { type: 'anonymous', id: req.params.id }, channel: 'web', now: deps.clock.now(),
      });
      return reply.status(204).send(null);
    });

    r.post('/v1/sessions/password', {
      config: { idempotencyStore: false },
      schema: {
        tags: ['sessions'],
        summary: 'Sign in with email and password: sets the session cookie',
        body: z.object({ email: z.string().max(320), password: passwordField }),
        response: { 200: z.object({ customer_id: z.string(), session: z.object({ id: z.string(), method: z.string(), stepped_up: z.boolean() }) }) },
      },
    }, async (req, reply) => {
      const s = await signInWithPassword(deps, { email: req.body.email, password: req.body.password, now: deps.clock.now(), presented: req.cookies[SESSION_COOKIE], requestId: req.id });
      reply.setCookie(SESSION_COOKIE, s.token, sessionCookieOptions());
      return { customer_id: s.customerId, session: { id: s.sessionId, method: 'password', stepped_up: false } };
    });
  };
}
