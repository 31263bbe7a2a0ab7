import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../src/deps.js';
import { call, enrollUpToPayment } from './flow.js';
import type { createSoftAuthenticator } from './soft-authenticator.js';

/** The `cookie` header that sends back the session a response set. */
export function sessionCookie(res: { headers: Record<string, unknown> }): { cookie: string } {
  return { cookie: String(([] as string[]).concat(res.headers['set-cookie'] as string[])[0]).split(';')[0]! };
}

/** A completed enrollment whose owner registered a passkey on the way and is now signed in with it (not stepped up). */
export async function passkeyOwner(
  app: FastifyInstance,
  deps: Deps,
  authenticator: ReturnType<typeof createSoftAuthenticator>,
  email: string,
  opts: { plan?: string; currency?: string } = {},
) {
  const { id } = await enrollUpToPayment(app, deps, email, opts);
  const o = await call(app, 'POST', `/v1/enrollments/${id}/passkeys/options`);
  const cred = authenticator.create(o.body);
  const registered = await call(app, 'POST', `/v1/enrollments/${id}/passkeys`, cred);
  if (registered.status !== 201) throw new Error(`passkey: ${registered.status} ${JSON.stringify(registered.body)}`);
  const done = await call(app, 'POST', `/v1/enrollments/${id}/complete`);
  if (done.status !== 200) throw new Error(`complete: ${done.status} ${JSON.stringify(done.body)}`);
  const so = await call(app, 'POST', '/v1/sessions/passkey/options');
  const session = sessionCookie(await call(app, 'POST', '/v1/sessions/passkey', authenticator.get(so.body, cred.id)));
  return { enrollmentId: id, credentialId: cred.id, session, done: done.body };
}
