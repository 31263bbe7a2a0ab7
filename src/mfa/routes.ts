import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import type { FlowContext } from '../enrollment/index.js';
import { confirmTotp } from './confirm-totp.js';
import { confirmTotpBody, totpConfirmationSchema, totpSetupSchema } from './schemas.js';
import { setupTotp } from './setup-totp.js';
import { stepUpWithTotp } from './step-up-with-totp.js';
import { requireSession, SESSION_COOKIE, sessionCookieOptions } from '../sessions/index.js';

const params = z.object({ id: z.string().max(64) });
const tags = ['mfa'];

/** Authenticator-app (TOTP) factors of an enrollment. */
export function mfaRoutes(deps: Deps): FastifyPluginAsync {
  return async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const ctx = (req: FastifyRequest, enrollmentId: string): FlowContext => ({
      requestId: req.id,
      actor: { type: 'anonymous', id: enrollmentId },
      channel: 'web',
      now: deps.clock.now(),
    });

    r.post('/v1/enrollments/:id/totp', {
      // The response carries the secret: the idempotency store must not keep it (a retry mints a new factor instead).
      config: { idempotencyStore: false },
      schema: { tags, summary: 'Set up an authenticator app (otpauth URI and QR code, shown once)', params, response: { 201: totpSetupSchema } },
    }, async (req, reply) => reply.status(201).header('cache-control', 'no-store').send(await setupTotp(deps, req.params.id, ctx(req, req.params.id))));

    r.post('/v1/enrollments/:id/totp/confirm', {
      schema: { tags, summary: 'Confirm an authenticator code; activates the factor', params, body: confirmTotpBody, response: { 200: totpConfirmationSchema } },
    }, async (req) => confirmTotp(deps, req.params.id, { code: req.body.code, factorId: req.body.factor_id }, ctx(req, req.params.id)));

    r.post('/v1/sessions/step-up/totp', {
      config: { idempotencyStore: false },
      schema: {
        tags: ['sessions'], summary: 'Step up with an authenticator code: rotates the session into a stepped-up one',
        body: z.object({ code: z.string().max(16) }),
        response: { 200: z.object({ customer_id: z.string(), session: z.object({ id: z.string(), method: z.string(), stepped_up: z.boolean() }) }) },
      },
    }, async (req, reply) => {
      const current = await requireSession(deps, req);
      const s = await stepUpWithTotp(deps, current, { code: req.body.code, now: deps.clock.now(), presented: req.cookies[SESSION_COOKIE], requestId: req.id });
      reply.setCookie(SESSION_COOKIE, s.token, sessionCookieOptions());
      return { customer_id: s.customerId, session: { id: s.sessionId, method: 'totp', stepped_up: true } };
    });
  };
}
