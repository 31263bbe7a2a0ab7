import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HttpClient, HttpResult } from './http-client.js';

export const STEPS = ['start', 'profile', 'send_code', 'code_delivery', 'confirm', 'plan', 'tokenize', 'attach', 'complete'] as const;
export type Step = (typeof STEPS)[number];

const CONSENTS = [
  { purpose: 'terms', granted: true, policy_version: '2026-11-01' },
  { purpose: 'privacy', granted: true, policy_version: '2026-11-01' },
];

/** Why an enrollment stopped: the step and a short reason (`409 enrollment_conflict`, `timeout`). */
export class StepFailure extends Error {
  constructor(readonly step: Step, readonly reason: string) {
    super(`${step}: ${reason}`);
  }
}

export interface EnrollmentRun {
  /** ms per step: the HTTP call only; code_delivery is the mailbox wait. */
  steps: Record<Step, number>;
  totalMs: number;
  mailboxPolls: number;
}

export interface FlowOptions {
  email: string;
  pollMs: number;
  codeTimeoutMs: number;
  /** When set, every POST carries `Idempotency-Key: <prefix>:<step>`. */
  idempotencyPrefix?: string;
  signal: AbortSignal;
}

/** One full web enrollment over HTTP, exactly as test/helpers/flow.ts drives it. */
export async function runEnrollment(client: HttpClient, o: FlowOptions): Promise<EnrollmentRun> {
  const steps = {} as Record<Step, number>;
  const t0 = performance.now();
  const call = async (step: Step, method: 'POST' | 'PUT', path: string, expect: number, body?: unknown): Promise<any> => {
    const headers: Record<string, string> = method === 'POST' && o.idempotencyPrefix ? { 'idempotency-key': `${o.idempotencyPrefix}:${step}` } : {};
    let res: HttpResult;
    try {
      res = await client.request(method, path, body, headers);
    } catch (err) {
      throw new StepFailure(step, networkReason(err, o.signal));
    }
    if (res.status !== expect) throw new StepFailure(step, `${res.status} ${res.body?.code ?? ''}`.trim());
    steps[step] = res.ms;
    return res.body;
  };

  const started = await call('start', 'POST', '/v1/enrollments', 201, { locale: 'de-DE', country: 'DE', currency: 'EUR' });
  const base = `/v1/enrollments/${started.id}`;
  await call('profile', 'PUT', `${base}/profile`, 200, { given_name: 'Anna', family_name: 'Muster', email: o.email, country: 'DE', consents: CONSENTS });
  await call('send_code', 'POST', `${base}/verification`, 202, { channel: 'email' });
  const { code, polls, ms } = await waitForCode(client, o);
  steps.code_delivery = ms;
  await call('confirm', 'POST', `${base}/verification/confirm`, 200, { code });
  const plan = await call('plan', 'PUT', `${base}/plan`, 200, { plan_id: 'starter', interval: 'month', currency: 'EUR' });
  if (!plan?.quote) throw new StepFailure('plan', 'no quote in response');
  const token = await call('tokenize', 'POST', '/sandbox-gateway/v1/tokens', 201, { number: '4242424242424242', exp_month: 12, exp_year: 2030, cvc: '123' });
  await call('attach', 'PUT', `${base}/payment-method`, 200, { token: token.id });
  const done = await call('complete', 'POST', `${base}/complete`, 200);
  if (done?.status !== 'completed' || !done.customer_id || !done.subscription?.status) throw new StepFailure('complete', 'unexpected body');
  return { steps, totalMs: performance.now() - t0, mailboxPolls: polls };
}

/**
 * Read the dev mailbox (newest message last) until a 6-digit code arrives; bounded by codeTimeoutMs.
 * Each request long-polls (`wait`): the service answers when the mail lands, so one request
 * usually does, and the figure is the delivery time rather than the poll interval.
 */
async function waitForCode(client: HttpClient, o: FlowOptions): Promise<{ code: string; polls: number; ms: number }> {
  const t0 = performance.now();
  for (let polls = 1; ; polls++) {
    const waitS = Math.max(0, Math.min(30, (o.codeTimeoutMs - (performance.now() - t0)) / 1000)).toFixed(3);
    const path = `/dev/mailbox?to=${encodeURIComponent(o.email)}&wait=${waitS}`;
    let res: HttpResult;
    try {
      res = await client.request('GET', path);
    } catch (err) {
      throw new StepFailure('code_delivery', networkReason(err, o.signal));
    }
    if (res.status !== 200) throw new StepFailure('code_delivery', `mailbox ${res.status}`);
    const messages: { text: string }[] = res.body?.messages ?? [];
    const m = messages.length > 0 ? /\b(\d{6})\b/.exec(messages[messages.length - 1].text) : null;
    if (m) return { code: m[1], polls, ms: performance.now() - t0 };
    const left = o.codeTimeoutMs - (performance.now() - t0);
    if (left <= 0) throw new StepFailure('code_delivery', `no code after ${o.codeTimeoutMs / 1000} s`);
    try {
      await sleep(Math.min(o.pollMs, left), undefined, { signal: o.signal });
    } catch {
      throw new StepFailure('code_delivery', 'aborted');
    }
  }
}

function networkReason(err: unknown, signal: AbortSignal): string {
  if (signal.aborted) return 'aborted';
  const code = (err as { code?: string }).code;
  return code === 'BENCH_TIMEOUT' ? 'timeout' : `network ${code ?? (err as Error).message}`;
}
