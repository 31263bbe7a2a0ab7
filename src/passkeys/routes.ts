import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import type { FlowContext } from '../enrollment/index.js';
import { requireSession, SESSION_COOKIE, sessionCookieOptions } from '../sessions/index.js';
import { beginPasskeyRegistration } from './begin-passkey-registration.js';
import { beginPasskeySignIn } from './begin-passkey-sign-in.js';
import { registerPasskey } from './register-passkey.js';
import { authenticationResponseBody, ceremonyOptionsSchema, passkeySchema, passkeySessionSchema, registrationResponseBody } from './schemas.js';
import { signInWithPasskey } from './sign-in-with-passkey.js';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';

const params = z.object({ id: z.string().max(64) });
// Options carry a single-use challenge, and a sign-in answer sets a cookie: neither may be replayed from the idempotency store.
const noStore = { idempotencyStore: false };
// The library's option types are closed interfaces; the response schema is an open object: same JSON.
const asJson = <T extends { challenge: string }>(o: T) => o as T & Record<string, unknown>;

/** Passkeys: registration on an enrollment, usernameless sign-in, and step-up for a signed-in owner. */
export function passkeyRoutes(deps: Deps): FastifyPluginAsync {
  return async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const ctx = (req: FastifyRequest, enrollmentId: string): FlowContext => ({
      requestId: req.id, actor: { type: 'anonymous', id: enrollmentId }, channel: 'web', now: deps.clock.now(),
    });

    r.post('/v1/enrollments/:id/passkeys/options', {
      config: noStore,
      schema: { tags: ['passkeys'], summary: 'WebAuthn registration options for this enrollment (challenge valid 5 minutes, single use)', params, response: { 200: ceremonyOptionsSchema } },
    }, async (req) => asJson(await beginPasskeyRegistration(deps, req.params.id, ctx(req, req.params.id))));

    r.post('/v1/enrollments/:id/passkeys', {
      schema: { tags: ['passkeys'], summary: 'Register a passkey: the attestation from navigator.credentials.create()', params, body: registrationResponseBody, response: { 201: passkeySchema } },
    }, async (req, reply) => reply.status(201).send(await registerPasskey(deps, req.params.id, req.body as RegistrationResponseJSON, ctx(req, req.params.id))));

    r.post('/v1/sessions/passkey/options', {
      config: noStore,
      schema: { tags: ['sessions'], summary: 'WebAuthn sign-in options (usernameless)', response: { 200: ceremonyOptionsSchema } },
    }, async () => asJson(await beginPasskeySignIn(deps, { now: deps.clock.now() })));

    r.post('/v1/sessions/passkey', {
      config: noStore,
      schema: { tags: ['sessions'], summary: 'Sign in with a passkey: sets the session cookie', body: authenticationResponseBody, response: { 200: passkeySessionSchema } },
    }, async (req, reply) => {
      const s = await signInWithPasskey(deps, req.body as AuthenticationResponseJSON, { now: deps.clock.now(), presented: req.cookies[SESSION_COOKIE], requestId: req.id });
      reply.setCookie(SESSION_COOKIE, s.token, sessionCookieOptions());
      return { customer_id: s.customerId, session: { id: s.sessionId, method: 'passkey', stepped_up: false } };
    });

    r.post('/v1/sessions/step-up/passkey/options', {
      config: noStore,
      schema: { tags: ['sessions'], summary: 'WebAuthn options to confirm it is you again (bound to the current session)', response: { 200: ceremonyOptionsSchema } },
    }, async (req) => {
      const s = await requireSession(deps, req);
      return asJson(await beginPasskeySignIn(deps, { now: deps.clock.now(), stepUpSessionId: s.id }));
    });

    r.post('/v1/sessions/step-up/passkey', {
      config: noStore,
      schema: { tags: ['sessions'], summary: 'Step up with a passkey of the signed-in customer: rotates the session', body: authenticationResponseBody, response: { 200: passkeySessionSchema } },
    }, async (req, reply) => {
      const current = await requireSession(deps, req);
      const s = await signInWithPasskey(deps, req.body as AuthenticationResponseJSON, { now: deps.clock.now(), presented: req.cookies[SESSION_COOKIE], stepUp: current, requestId: req.id });
      reply.setCookie(SESSION_COOKIE, s.token, sessionCookieOptions());
      return { customer_id: s.customerId, session: { id: s.sessionId, method: 'passkey', stepped_up: true } };
    });
  };
}
