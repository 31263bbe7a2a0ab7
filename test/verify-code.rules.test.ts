import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/kernel/clock.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { call, profile, readCode } from './helpers/flow.js';

describe('email one-time codes', () => {
  let t: TestApp;
  const clock = createManualClock();
  beforeAll(async () => {
    t = await createTestApp({}, { clock });
  });
  afterAll(() => t.close());

  async function withCode(email: string) {
    const start = await call(t.app, 'POST', '/v1/enrollments', {});
    const id = start.body.id as string;
    await call(t.app, 'PUT', `/v1/enrollments/${id}/profile`, profile(email));
    expect((await call(t.app, 'POST', `/v1/enrollments/${id}/verification`, { channel: 'email' })).status).toBe(202);
    return { id, code: await readCode(t.app, t.deps, email) };
  }
  const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

  it('is 6 digits and stored only as a keyed hash', async () => {
    const { id, code } = await withCode('hash@example.com');
    expect(code).toMatch(/^\d{6}$/);
    const { rows } = await t.db.query('SELECT code_hash FROM verification_codes WHERE enrollment_id = $1', [id]);
    expect(rows[0].code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(code);
  });

  it('expires after 10 minutes', async () => {
    const { id, code } = await withCode('expiry@example.com');
    clock.advance(10 * 60_000);
    const res = await call(t.app, 'POST', `/v1/enrollments/${id}/verification/confirm`, { code });
    expect(res.body.code).toBe('identity_code_expired');
  });

  it('is single-use and bound to its enrollment', async () => {
    const a = await withCode('bound-a@example.com');
    const b = await withCode('bound-b@example.com');
    const cross = await call(t.app, 'POST', `/v1/enrollments/${b.id}/verification/confirm`, { code: a.code });
    if (a.code !== b.code) expect(cross.body.code).toBe('identity_code_invalid');
    expect((await call(t.app, 'POST', `/v1/enrollments/${a.id}/verification/confirm`, { code: a.code })).status).toBe(200);
    const replay = await call(t.app, 'POST', `/v1/enrollments/${a.id}/verification/confirm`, { code: a.code });
    expect(replay.body.code).toBe('enrollment_invalid_transition');
  });

  it('a code sent to an old address does not verify a changed one', async () => {
    const { id, code } = await withCode('old@example.com');
    await call(t.app, 'PUT', `/v1/enrollments/${id}/profile`, profile('new@example.com'));
    const res = await call(t.app, 'POST', `/v1/enrollments/${id}/verification/confirm`, { code });
    expect(res.body.code).toBe('identity_code_invalid');
  });

  it('rate-limits resends with Retry-After, and only the newest code is live', async () => {
    const { id, code } = await withCode('resend@example.com');
    const tooSoon = await call(t.app, 'POST', `/v1/enrollments/${id}/verification`, { channel: 'email' });
    expect(tooSoon.status).toBe(429);
    expect(tooSoon.body.code).toBe('identity_resend_limited');
    expect(Number(tooSoon.headers['retry-after'])).toBeGreaterThan(0);
    clock.advance(31_000);
    expect((await call(t.app, 'POST', `/v1/enrollments/${id}/verification`, { channel: 'email' })).status).toBe(202);
    const newer = await readCode(t.app, t.deps, 'resend@example.com');
    if (newer !== code) {
      expect((await call(t.app, 'POST', `/v1/enrollments/${id}/verification/confirm`, { code })).body.code).toBe('identity_code_invalid');
    }
    expect((await call(t.app, 'POST', `/v1/enrollments/${id}/verification/confirm`, { code: newer })).status).toBe(200);
  });

  it('parallel sends count against the limit one by one: a single code is live', async () => {
    const start = await call(t.app, 'POST', '/v1/enrollments', {});
    const id = start.body.id;
    await call(t.app, 'PUT', `/v1/enrollments/${id}/profile`, profile('parallel@example.com'));
    const sends = await Promise.all(Array.from({ length: 10 }, () => call(t.app, 'POST', `/v1/enrollments/${id}/verification`, { channel: 'email' })));
    expect(sends.filter((r) => r.status === 202).length).toBe(1);
    expect(sends.filter((r) => r.status === 429).length).toBe(9);
    const live = await t.db.query('SELECT count(*)::int AS n FROM verification_codes WHERE enrollment_id = $1 AND superseded_at IS NULL', [id]);
    expect(live.rows[0].n).toBe(1);
  });

  it('caps sends to one address across enrollments (new enrollments are free)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const start = await call(t.app, 'POST', '/v1/enrollments', {});
      await call(t.app, 'PUT', `/v1/enrollments/${start.body.id}/profile`, profile('bombed@example.com'));
      statuses.push((await call(t.app, 'POST', `/v1/enrollments/${start.body.id}/verification`, { channel: 'email' })).status);
    }
    expect(statuses).toEqual([...Array(10).fill(202), 429, 429]);
  });

  it('caps sends per hour', async () => {
    const { id } = await withCode('hourly@example.com');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      clock.advance(31_000);
      statuses.push((await call(t.app, 'POST', `/v1/enrollments/${id}/verification`, { channel: 'email' })).status);
    }
    expect(statuses).toEqual([202, 202, 202, 202, 429, 429]);
  });
});
