import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { SESSION_COOKIE, sessionCookieOptions } from './cookie.js';
import { confirmStepUpCode } from './confirm-step-up-code.js';
import { requireSession } from './require-session.js';
import { revokeSession } from './revoke-session.js';
import { sendStepUpCode } from './send-step-up-code.js';

const currentSchema = z.object({
  id: z.string(),
  customer_id: z.string(),
  method: z.string(),
  stepped_up_at: z.string().nullable(),
  expires_at: z.string(),
});

const steppedUpSchema = z.object({ customer_id: z.string(), session: z.object({ id: z.string(), method: z.string(), stepped_up: z.boolean() }) });

/** The signed-in customer's own session: who am I, log out, and the email step-up. */
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

    // Neither answer is kept by the idempotency store: its scope is not per session (anonymous callers share one),
    // a send is already deduplicated by the resend limit, and the confirmation sets a cookie.
    r.post('/v1/sessions/step-up/email', {
      config: { idempotencyStore: false },
      schema: {
        tags: ['sessions'], summary: 'Email a one-time step-up code to the signed-in customer (only when they hold no passkey or authenticator app)',
        response: { 202: z.object({ channel: z.literal('email'), expires_at: z.string() }) },
      },
    }, async (req, reply) => {
      const current = await requireSession(deps, req);
      return reply.status(202).send(await sendStepUpCode(deps, current, { now: deps.clock.now(), requestId: req.id }));
    });

    r.post('/v1/sessions/step-up/email/confirm', {
      config: { idempotencyStore: false },
      schema: {
        tags: ['sessions'], summary: 'Confirm the emailed step-up code: rotates the session into a stepped-up one',
        body: z.object({ code: z.string().max(16) }),
        response: { 200: steppedUpSchema },
      },
    }, async (req, reply) => {
      const current = await requireSession(deps, req);
      const s = await confirmStepUpCode(deps, current, { code: req.body.code, now: deps.clock.now(), presented: req.cookies[SESSION_COOKIE], requestId: req.id });
      reply.setCookie(SESSION_COOKIE, s.token, sessionCookieOptions());
      return { customer_id: s.customerId, session: { id: s.sessionId, method: 'email_code', stepped_up: true } };
    });
  };
}
