import type { TestApp } from './app.js';
import { call, enrollUpToPayment } from './flow.js';

/** A completed enrollment whose owner signed in from the welcome email's dashboard link: their tenant and session cookie. */
export async function signedInOwner(t: Pick<TestApp, 'app' | 'deps'>, email: string) {
  const { id } = await enrollUpToPayment(t.app, t.deps, email);
  const done = await call(t.app, 'POST', `/v1/enrollments/${id}/complete`);
  if (done.status !== 200) throw new Error(`complete: ${done.status} ${JSON.stringify(done.body)}`);
  await t.deps.worker.drain();
  const mail = await call(t.app, 'GET', `/dev/mailbox?to=${encodeURIComponent(email)}`);
  const link = mail.body.messages.map((m: { text: string }) => /\/app\?token=([\w-]+)/.exec(m.text)?.[1]).find(Boolean);
  if (!link) throw new Error(`no dashboard link for ${email}`);
  const signin = await t.app.inject({ method: 'GET', url: `/app?token=${link}` });
  if (signin.statusCode !== 303) throw new Error(`sign-in: ${signin.statusCode}`);
  const cookie = String(([] as string[]).concat(signin.headers['set-cookie'] as string[])[0]).split(';')[0]!;
  return { enrollmentId: id, tenantId: done.body.tenant_id as string, customerId: done.body.customer_id as string, subscriptionId: done.body.subscription.id as string, cookie };
}
