import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../src/deps.js';
import { call, enrollUpToPayment } from './flow.js';

/**
 * A completed enrollment whose owner signed in through the welcome email's one-time link: the customer's own
 * dashboard session, as a `cookie` header.
 */
export async function signedInCustomer(app: FastifyInstance, deps: Deps, email: string, opts: { plan?: string } = {}) {
  const { id: enrollmentId } = await enrollUpToPayment(app, deps, email, opts);
  const done = await call(app, 'POST', `/v1/enrollments/${enrollmentId}/complete`);
  if (done.status !== 200) throw new Error(`complete: ${done.status} ${JSON.stringify(done.body)}`);
  await deps.worker.drain();
  const mail = await call(app, 'GET', `/dev/mailbox?to=${encodeURIComponent(email)}`);
  const link = mail.body.messages.map((m: { text: string }) => /\/app\?token=([\w-]+)/.exec(m.text)?.[1]).filter(Boolean).at(-1);
  if (!link) throw new Error(`no dashboard link mailed to ${email}`);
  const signin = await app.inject({ method: 'GET', url: `/app?token=${link}` });
  if (signin.statusCode !== 303) throw new Error(`sign-in: ${signin.statusCode}`);
  const cookie = String(([] as string[]).concat(signin.headers['set-cookie'] as string[])[0]).split(';')[0]!;
  return { enrollmentId, customerId: done.body.customer_id as string, tenantId: done.body.tenant_id as string, subscriptionId: done.body.subscription.id as string, headers: { cookie } };
}
