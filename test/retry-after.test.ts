import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/kernel/clock.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { call, profile, readCode } from './helpers/flow.js';

/** Issue 3 part 7: every 429 is problem+json with a stable code and a Retry-After a client can act on. */
describe('every 429 carries Retry-After', () => {
  let t: TestApp;
  const clock = createManualClock();
  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_PER_MINUTE: '0' }, { clock });
  });
  afterAll(() => t.close());

  let n = 0;
  async function withProfile() {
    const id = (await call(t.app, 'POST', '/v1/enrollments', {})).body.id as string;
    const email = `retry-${n++}@example.com`;
    expect((await call(t.app, 'PUT', `/v1/enrollments/${id}/profile`, profile(email))).status).toBe(200);
    return { id, email };
  }
  function expect429(res: Awaited<ReturnType<typeof call>>, code: string) {
    expect(res.status).toBe(429);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.code).toBe(code);
    const s = Number(res.headers['retry-after']);
    expect(Number.isInteger(s) && s > 0).toBe(true);
    return s;
  }

  it('identity_resend_limited: the seconds until the next send is allowed', async () => {
    const { id } = await withProfile();
    await call(t.app, 'POST', `/v1/enrollments/${id}/verification`, { channel: 'email' });
    clock.advance(10_000);
    expect(expect429(await call(t.app, 'POST', `/v1/enrollments/${id}/verification`, { channel: 'email' }), 'identity_resend_limited')).toBe(20);
  });

  it('identity_code_attempts_exceeded: when a new code may be requested (the next step)', async () => {
    const { id, email } = await withProfile();
    await call(t.app, 'POST', `/v1/enrollments/${id}/verification`, { channel: 'email' });
    const code = await readCode(t.app, t.deps, email);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < 4; i++) await call(t.app, 'POST', `/v1/enrollments/${id}/verification/confirm`, { code: wrong });
    clock.advance(5_000);
    // The fifth wrong guess locks the code; a resend is allowed 30 s after the last one, 25 s from now.
    expect(expect429(await call(t.app, 'POST', `/v1/enrollments/${id}/verification/confirm`, { code: wrong }), 'identity_code_attempts_exceeded')).toBe(25);
    clock.advance(30_000);
    expect(expect429(await call(t.app, 'POST', `/v1/enrollments/${id}/verification/confirm`, { code }), 'identity_code_attempts_exceeded')).toBe(1);
    expect((await call(t.app, 'POST', `/v1/enrollments/${id}/verification`, { channel: 'email' })).status).toBe(202);
  });

  it('mfa_attempts_exceeded: until the attempt window ends', async () => {
    const { id } = await withProfile();
    await call(t.app, 'POST', `/v1/enrollments/${id}/totp`);
    let last = await call(t.app, 'POST', `/v1/enrollments/${id}/totp/confirm`, { code: '000000' });
    for (let i = 0; i < 5 && last.status !== 429; i++) last = await call(t.app, 'POST', `/v1/enrollments/${id}/totp/confirm`, { code: '000000' });
    expect(expect429(last, 'mfa_attempts_exceeded')).toBeLessThanOrEqual(600);
  });

  it('rate_limited: until the window resets (see rate-limit.test.ts for every budget)', async () => {
    const limited = await createTestApp({ RATE_LIMIT_ENROLLMENT_PER_MINUTE: '1' });
    try {
      const id = (await call(limited.app, 'POST', '/v1/enrollments', {})).body.id as string;
      await call(limited.app, 'PUT', `/v1/enrollments/${id}/profile`, profile('rl@example.com'));
      expect(expect429(await call(limited.app, 'PUT', `/v1/enrollments/${id}/profile`, profile('rl@example.com')), 'rate_limited')).toBeLessThanOrEqual(60);
    } finally {
      await limited.close();
    }
  });
});
