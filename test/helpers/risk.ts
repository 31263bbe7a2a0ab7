import type { Db } from '../../src/db/index.js';
import type { TestApp } from './app.js';
import { profile, readCode } from './flow.js';

/**
 * Drive the web flow as a particular client: its own IP (the socket peer),
 * headers (user agent, device id, proxy headers) and card. The risk tests
 * use these so that one test's enrollments do not trip another's velocity.
 */
export function riskClient(t: TestApp, clock: { advance(ms: number): void }) {
  const send = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, opts: { ip?: string; headers?: Record<string, string> } = {}) => {
    const res = await t.app.inject({ method, url, payload: payload as any, headers: opts.headers, remoteAddress: opts.ip ?? '127.0.0.1' });
    return { status: res.statusCode, body: res.body ? res.json() : null };
  };

  return {
    send,
    /** Start, then (unless `fast`) wait like a human typing before the profile. */
    async profile(email: string, opts: { ip: string; headers?: Record<string, string>; phone?: string; fast?: boolean }) {
      const start = await send('POST', '/v1/enrollments', {}, opts);
      if (start.status !== 201) throw new Error(`start: ${start.status}`);
      const id = start.body.id as string;
      if (!opts.fast) clock.advance(10_000);
      const res = await send('PUT', `/v1/enrollments/${id}/profile`, profile(email, opts.phone ? { phone: opts.phone } : {}), opts);
      return { id, res };
    },
    /** Verification, plan and card, as the same client; returns the payment-method response. */
    async toPayment(id: string, email: string, opts: { ip: string; plan?: string; card?: string }) {
      const expectOk = (step: string, r: { status: number; body: any }, status = 200) => {
        if (r.status !== status) throw new Error(`${step}: ${r.status} ${JSON.stringify(r.body)}`);
        return r;
      };
      expectOk('send code', await send('POST', `/v1/enrollments/${id}/verification`, { channel: 'email' }, opts), 202);
      const code = await readCode(t.app, t.deps, email);
      expectOk('confirm', await send('POST', `/v1/enrollments/${id}/verification/confirm`, { code }, opts));
      expectOk('plan', await send('PUT', `/v1/enrollments/${id}/plan`, { plan_id: opts.plan ?? 'starter', interval: 'month', currency: 'EUR' }, opts));
      const tok = expectOk('tokenize', await send('POST', '/sandbox-gateway/v1/tokens', { number: opts.card ?? freshCard(), exp_month: 12, exp_year: 2040, cvc: '123' }, opts), 201);
      return expectOk('payment', await send('PUT', `/v1/enrollments/${id}/payment-method`, { token: tok.body.id }, opts));
    },
    complete: (id: string, opts: { ip: string; headers?: Record<string, string> }) => send('POST', `/v1/enrollments/${id}/complete`, undefined, opts),
  };
}

/** The stored risk and the risk.assessed audit rows of an enrollment. */
export async function riskOf(deps: { db: Db }, id: string) {
  const e = await deps.db.query<{ state: string; risk: any }>('SELECT state, risk FROM enrollments WHERE id = $1', [id]);
  const audit = await deps.db.query<{ data: any }>(`SELECT data FROM audit_events WHERE subject_id = $1 AND action = 'risk.assessed' ORDER BY occurred_at, id`, [id]);
  const codes = (e.rows[0].risk?.reasons ?? []).map((r: { code: string }) => r.code).sort();
  return { state: e.rows[0].state, risk: e.rows[0].risk, codes, assessed: audit.rows.map((r) => r.data) };
}

let cardSeq = 0;
/** A Luhn-valid Visa number no other test uses (succeeds at the sandbox, issued in the US). */
export function freshCard(): string {
  const body = `4111${String(process.pid % 1000).padStart(3, '0')}${String(++cardSeq).padStart(8, '0')}`;
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return body + String((10 - (sum % 10)) % 10);
}

let ipSeq = 0;
/** A documentation-range IP of its own for each client. */
export const freshIp = () => `198.51.${100 + Math.floor(ipSeq / 250)}.${(ipSeq++ % 250) + 1}`;
