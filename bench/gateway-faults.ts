/**
 * Fault benchmark (issue 5, part 4): complete enrollments with valid cards
 * while the sandbox gateway injects transient faults and lost responses, then
 * count duplicate charges and payment failures from the gateway's own books.
 *
 *   npm run bench:faults -- [--count 1000] [--concurrency 16] [--faults error=0.05,lost=0.02]
 *
 * In-process (Fastify inject, embedded PGlite in memory): it measures the
 * retry and idempotency logic, not HTTP throughput (that is bench/enrollments.ts).
 */
import { Writable } from 'node:stream';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config/index.js';
import { createPgliteDb } from '../src/db/index.js';
import { createDeps } from '../src/deps.js';
import { createLogger } from '../src/kernel/logger.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const count = Number(arg('count', '1000'));
const concurrency = Number(arg('concurrency', '16'));
const faults = arg('faults', 'error=0.05,lost=0.02');

const config = loadConfig({
  NODE_ENV: 'test', LOG_LEVEL: 'warn', GATEWAY_FAULTS: faults, RATE_LIMIT_PER_MINUTE: '0', RATE_LIMIT_ENROLLMENT_PER_MINUTE: '0',
  // One process, one IP, one card for everyone: the rules meant for strangers would only measure themselves.
  RISK_SCORES: 'velocity_ip:0,velocity_email:0,velocity_device:0,velocity_card:0,trial_card_reused:0,trial_email_reused:0,bot_form_too_fast:0',
});
const deps = await createDeps(config, createLogger({ level: 'warn', destination: new Writable({ write: (_c, _e, cb) => cb() }) }), { db: await createPgliteDb(undefined) });
const app = await buildApp(deps);
await app.ready();

const call = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => {
  const res = await app.inject({ method, url, payload: payload as never });
  return { status: res.statusCode, body: res.body ? res.json() : null };
};
const consents = [
  { purpose: 'terms', granted: true, policy_version: '2026-11-01' },
  { purpose: 'privacy', granted: true, policy_version: '2026-11-01' },
];

async function enroll(i: number): Promise<string> {
  const email = `faults-${i}@example.com`;
  const id = (await call('POST', '/v1/enrollments', {})).body.id as string;
  await call('PUT', `/v1/enrollments/${id}/profile`, { given_name: 'Fay', family_name: 'Ult', email, country: 'DE', consents });
  await call('POST', `/v1/enrollments/${id}/verification`, { channel: 'email' });
  let code: string | undefined;
  for (let tries = 0; !code && tries < 200; tries++) {
    await deps.worker.drain();
    code = /\b(\d{6})\b/.exec(deps.mailbox!.list().filter((m) => m.to === email).at(-1)?.text ?? '')?.[1];
  }
  await call('POST', `/v1/enrollments/${id}/verification/confirm`, { code });
  await call('PUT', `/v1/enrollments/${id}/plan`, { plan_id: 'starter', interval: 'month', currency: 'EUR' });
  const token = (await call('POST', '/sandbox-gateway/v1/tokens', { number: '4242424242424242', exp_month: 12, exp_year: 2031, cvc: '123' })).body.id;
  const attached = await call('PUT', `/v1/enrollments/${id}/payment-method`, { token });
  if (attached.status !== 200) return `attach ${attached.status} ${attached.body?.code}`;
  // A client that gets a 5xx retries the same request, as a browser or SDK would; the flow's keys make that safe.
  for (let tries = 0; tries < 3; tries++) {
    const done = await call('POST', `/v1/enrollments/${id}/complete`);
    if (done.status === 200) return 'ok';
    if (done.status < 500) return `complete ${done.status} ${done.body?.code}`;
  }
  return 'complete 503 payment_gateway_unavailable (after 3 client retries)';
}

const started = Date.now();
const outcomes = new Map<string, number>();
let next = 0;
await Promise.all(Array.from({ length: concurrency }, async () => {
  while (next < count) {
    const r = await enroll(next++).catch((err) => `error ${(err as Error).message}`);
    outcomes.set(r, (outcomes.get(r) ?? 0) + 1);
  }
}));
const { rows } = await deps.db.query<{ enrollments: number; charged: number; duplicates: number }>(
  `SELECT count(*)::int AS enrollments, count(*) FILTER (WHERE n >= 1)::int AS charged, count(*) FILTER (WHERE n > 1)::int AS duplicates
     FROM (SELECT split_part(idempotency_key, ':', 1) AS enr, count(*) FILTER (WHERE captured) AS n
             FROM gateway_charges WHERE idempotency_key LIKE 'enr\\_%:complete:%' GROUP BY 1) c`,
);
const ok = outcomes.get('ok') ?? 0;
const failed = count - ok;
console.log(JSON.stringify({
  faults, count, concurrency, seconds: (Date.now() - started) / 1000,
  completed: ok, payment_failures: failed, payment_failure_rate: `${((failed / count) * 100).toFixed(2)}%`,
  enrollments_charged: rows[0]!.charged, duplicate_charges: rows[0]!.duplicates,
  gateway_calls_and_injected_faults: (deps.gateway as { faultStats?: unknown }).faultStats,
  outcomes: Object.fromEntries(outcomes),
}, null, 2));
await app.close();
await deps.worker.stop();
await deps.db.close();
