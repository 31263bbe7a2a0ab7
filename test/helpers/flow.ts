import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../src/deps.js';

export const CONSENTS = [
  { purpose: 'terms', granted: true, policy_version: '2026-11-01' },
  { purpose: 'privacy', granted: true, policy_version: '2026-11-01' },
  { purpose: 'marketing_email', granted: false, policy_version: '2026-11-01' },
];

export function profile(email: string, extra: Record<string, unknown> = {}) {
  return { given_name: 'Anna', family_name: 'Muster', email, country: 'DE', consents: CONSENTS, ...extra };
}

export async function call(app: FastifyInstance, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = {}) {
  const res = await app.inject({ method, url, payload: payload as any, headers });
  return { status: res.statusCode, body: res.body ? (String(res.headers['content-type'] ?? '').includes('json') ? res.json() : res.body) : null, headers: res.headers };
}

/** Read the newest code mailed to `to` (runs the outbox first). */
export async function readCode(app: FastifyInstance, deps: Deps, to: string): Promise<string> {
  await deps.worker.drain();
  const { body } = await call(app, 'GET', `/dev/mailbox?to=${encodeURIComponent(to)}`);
  const last = body.messages[body.messages.length - 1];
  const m = last && /\b(\d{6})\b/.exec(last.text);
  if (!m) throw new Error(`no code in mailbox for ${to}`);
  return m[1];
}

export async function tokenize(app: FastifyInstance, number = '4242424242424242') {
  const { status, body } = await call(app, 'POST', '/sandbox-gateway/v1/tokens', { number, exp_month: 12, exp_year: new Date().getUTCFullYear() + 3, cvc: '123' });
  if (status !== 201) throw new Error(`tokenize ${number}: ${status} ${JSON.stringify(body)}`);
  return body.id as string;
}

/** A new enrollment whose customer lives in `country`, email verified: ready to select a plan. */
export async function verifiedEnrollment(app: FastifyInstance, deps: Deps, email: string, country: string): Promise<string> {
  const id = (await call(app, 'POST', '/v1/enrollments', {})).body.id as string;
  const p = await call(app, 'PUT', `/v1/enrollments/${id}/profile`, profile(email, { country }));
  if (p.status !== 200) throw new Error(`profile: ${p.status} ${JSON.stringify(p.body)}`);
  await call(app, 'POST', `/v1/enrollments/${id}/verification`, { channel: 'email' });
  const c = await call(app, 'POST', `/v1/enrollments/${id}/verification/confirm`, { code: await readCode(app, deps, email) });
  if (c.status !== 200) throw new Error(`confirm: ${c.status} ${JSON.stringify(c.body)}`);
  return id;
}

/** Run the web flow up to (not including) completion; returns the enrollment id. */
export async function enrollUpToPayment(
  app: FastifyInstance,
  deps: Deps,
  email: string,
  opts: { plan?: string; interval?: 'month' | 'year'; currency?: string; card?: string; country?: string; profile?: Record<string, unknown> } = {},
) {
  const start = await call(app, 'POST', '/v1/enrollments', { locale: 'de-DE', country: opts.country ?? 'DE', currency: 'EUR' });
  const id = start.body.id as string;
  const p = await call(app, 'PUT', `/v1/enrollments/${id}/profile`, profile(email, { ...(opts.country ? { country: opts.country } : {}), ...opts.profile }));
  if (p.status !== 200) throw new Error(`profile: ${p.status} ${JSON.stringify(p.body)}`);
  const v = await call(app, 'POST', `/v1/enrollments/${id}/verification`, { channel: 'email' });
  if (v.status !== 202) throw new Error(`verification: ${v.status} ${JSON.stringify(v.body)}`);
  const code = await readCode(app, deps, email);
  const c = await call(app, 'POST', `/v1/enrollments/${id}/verification/confirm`, { code });
  if (c.status !== 200) throw new Error(`confirm: ${c.status} ${JSON.stringify(c.body)}`);
  const plan = await call(app, 'PUT', `/v1/enrollments/${id}/plan`, { plan_id: opts.plan ?? 'starter', interval: opts.interval ?? 'month', currency: opts.currency ?? 'EUR' });
  if (plan.status !== 200) throw new Error(`plan: ${plan.status} ${JSON.stringify(plan.body)}`);
  const token = await tokenize(app, opts.card);
  const pm = await call(app, 'PUT', `/v1/enrollments/${id}/payment-method`, { token });
  if (pm.status !== 200) throw new Error(`payment: ${pm.status} ${JSON.stringify(pm.body)}`);
  return { id, quote: plan.body.quote };
}
