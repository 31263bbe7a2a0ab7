import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/kernel/clock.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { call, enrollUpToPayment, profile } from './helpers/flow.js';

/**
 * register.enumeration over HTTP (issue 3 part 7): for an address that has an
 * account and one that has none, every step answers with the same status, the
 * same body shape and the same header names, in similar time. The statement-
 * level proof (same SQL either way) is in register.enumeration.test.ts.
 */
const TAKEN = 'owner@example.com';
const FREE = 'stranger@example.com';

/** The structure of a JSON value: keys (recursively) and types, not values. */
function shapeOf(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(shapeOf);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, shapeOf((v as Record<string, unknown>)[k])]));
  return v === null ? 'null' : typeof v;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

describe('register.enumeration: same status, body shape, header names and timing for a taken and a free address', () => {
  let t: TestApp;
  const clock = createManualClock();
  beforeAll(async () => {
    // The per-IP budget is not under test here, and these runs come from one IP.
    t = await createTestApp({ RATE_LIMIT_PER_MINUTE: '0' }, { clock });
    const { id } = await enrollUpToPayment(t.app, t.deps, TAKEN);
    expect((await call(t.app, 'POST', `/v1/enrollments/${id}/complete`)).status).toBe(200);
    await t.deps.worker.drain();
  });
  afterAll(() => t.close());

  type Step = { status: number; headers: string[]; shape: unknown; body: any; ms: number };
  async function step(method: 'POST' | 'PUT', url: string, payload: unknown): Promise<Step> {
    const t0 = performance.now();
    const res = await t.app.inject({ method, url, payload: payload as any });
    const ms = performance.now() - t0;
    const body = res.json();
    return { status: res.statusCode, headers: Object.keys(res.headers).sort(), shape: shapeOf(body), body, ms };
  }
  /** One attempt: start, profile, send a code, confirm a wrong one. */
  async function attempt(email: string) {
    // Past the per-address hourly cap of earlier runs: each run is a fresh hour for the address.
    clock.advance(61 * 60_000);
    const start = await step('POST', '/v1/enrollments', {});
    const id = start.body.id as string;
    const p = await step('PUT', `/v1/enrollments/${id}/profile`, profile(email));
    const v = await step('POST', `/v1/enrollments/${id}/verification`, { channel: 'email' });
    const c = await step('POST', `/v1/enrollments/${id}/verification/confirm`, { code: '000000' });
    return { start, profile: p, verification: v, confirm: c };
  }

  it('every step answers alike', async () => {
    const taken = await attempt(TAKEN);
    const free = await attempt(FREE);
    for (const name of ['start', 'profile', 'verification', 'confirm'] as const) {
      const a = taken[name];
      const b = free[name];
      expect({ step: name, status: a.status, headers: a.headers, shape: a.shape }).toEqual({ step: name, status: b.status, headers: b.headers, shape: b.shape });
    }
    expect(taken.profile.status).toBe(200);
    // Same state and next steps: nothing in the view hints at the account.
    expect([taken.profile.body.status, taken.profile.body.next]).toEqual([free.profile.body.status, free.profile.body.next]);
    expect(taken.verification.status).toBe(202);
    expect(taken.verification.body.channel).toBe(free.verification.body.channel);
    // A wrong code is wrong in the same way: the taken path issued (and threw away) a real code too.
    expect(taken.confirm.body).toMatchObject({ code: 'identity_code_invalid', attempts_remaining: 4 });
    expect(free.confirm.body).toMatchObject({ code: 'identity_code_invalid', attempts_remaining: 4 });
    expect(taken.confirm.headers).toEqual(free.confirm.headers);
  });

  it('takes similar time: the medians of interleaved runs differ by less than max(20 ms, half the faster median)', async () => {
    // Interleaved, so load from the other test files falls on both paths alike; medians, so a stall counts once.
    // The tolerance is generous for a loaded 2-core runner, yet 50 ms of extra work on one path fails it.
    for (let i = 0; i < 3; i++) await attempt(i % 2 ? TAKEN : FREE); // warm-up
    const runs = 15;
    const times = { taken: [] as number[], free: [] as number[] };
    for (let i = 0; i < runs; i++) {
      for (const [who, email] of (i % 2 ? [['taken', TAKEN], ['free', FREE]] : [['free', FREE], ['taken', TAKEN]]) as ['taken' | 'free', string][]) {
        const r = await attempt(email);
        times[who].push(r.profile.ms + r.verification.ms + r.confirm.ms);
      }
    }
    const mt = median(times.taken);
    const mf = median(times.free);
    const tolerance = Math.max(20, Math.min(mt, mf) / 2);
    expect({ taken_ms: Math.round(mt), free_ms: Math.round(mf), within: Math.abs(mt - mf) < tolerance }).toMatchObject({ within: true });
  }, 60_000);
});
