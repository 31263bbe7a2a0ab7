import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/kernel/clock.js';
import { totpCode } from '../src/mfa/index.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { call, enrollUpToPayment, profile, readCode } from './helpers/flow.js';

const STEP = 30_000;
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

/**
 * Every guessable secret has a cap, counted atomically: parallel guesses
 * cannot squeeze in extra attempts, and once the cap is spent even the right
 * answer is refused. Email and SMS codes: 5 attempts per code. Authenticator
 * codes: 5 per 10 minutes. Passwords: 10 failures in a row pause sign-in.
 */
describe('attempt caps', () => {
  let t: TestApp;
  // Mid-step, so TOTP codes computed now are not at a step boundary.
  const clock = createManualClock(new Date(Math.floor(Date.now() / STEP) * STEP + 15_000));
  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_PER_MINUTE: '0', RATE_LIMIT_ENROLLMENT_PER_MINUTE: '0' }, { clock });
  });
  afterAll(() => t.close());

  let n = 0;
  const confirmCode = (id: string, code: string) => call(t.app, 'POST', `/v1/enrollments/${id}/verification/confirm`, { code });
  async function withProfile(extra: Record<string, unknown> = {}) {
    const id = (await call(t.app, 'POST', '/v1/enrollments', {})).body.id as string;
    const email = `cap-${n++}@example.com`;
    expect((await call(t.app, 'PUT', `/v1/enrollments/${id}/profile`, profile(email, extra))).status).toBe(200);
    return { id, email };
  }

  it('email code: 5 attempts, counted atomically under 12 parallel guesses; the right code is refused afterwards', async () => {
    const { id, email } = await withProfile();
    expect((await call(t.app, 'POST', `/v1/enrollments/${id}/verification`, { channel: 'email' })).status).toBe(202);
    const code = await readCode(t.app, t.deps, email);
    const guesses = await Promise.all(Array.from({ length: 12 }, () => confirmCode(id, wrong(code))));
    const codes = guesses.map((g) => g.body.code);
    expect(codes.filter((c) => c === 'identity_code_invalid').length).toBe(4);
    expect(codes.filter((c) => c === 'identity_code_attempts_exceeded').length).toBe(8);
    expect((await confirmCode(id, code)).body.code).toBe('identity_code_attempts_exceeded');
    const { rows } = await t.db.query('SELECT attempts FROM verification_codes WHERE enrollment_id = $1', [id]);
    expect(rows[0].attempts).toBe(5);
  });

  it('SMS code: the same 5 attempts under parallel guesses', async () => {
    const phone = `+491512${String(n).padStart(7, '0')}`;
    const { id } = await withProfile({ phone });
    expect((await call(t.app, 'POST', `/v1/enrollments/${id}/verification`, { channel: 'sms' })).status).toBe(202);
    const code = await readCode(t.app, t.deps, phone);
    const guesses = await Promise.all(Array.from({ length: 8 }, () => confirmCode(id, wrong(code))));
    const codes = guesses.map((g) => g.body.code);
    expect(codes.filter((c) => c === 'identity_code_invalid').length).toBe(4);
    expect(codes.filter((c) => c === 'identity_code_attempts_exceeded').length).toBe(4);
    expect((await confirmCode(id, code)).body.code).toBe('identity_code_attempts_exceeded');
  });

  it('authenticator code: 5 attempts per 10 minutes under parallel guesses, with Retry-After; a new window after 10 minutes', async () => {
    const { id } = await withProfile();
    const setup = await call(t.app, 'POST', `/v1/enrollments/${id}/totp`);
    const secret = new URL(setup.body.otpauth_uri).searchParams.get('secret')!;
    const codeAt = (offset = 0) => totpCode(secret, new Date(clock.now().getTime() + offset * STEP));
    const live = new Set([await codeAt(-1), await codeAt(0), await codeAt(1)]);
    let guess = Number(await codeAt());
    do guess = (guess + 1) % 1_000_000; while (live.has(String(guess).padStart(6, '0')));
    const bad = String(guess).padStart(6, '0');
    const confirm = (code: string) => call(t.app, 'POST', `/v1/enrollments/${id}/totp/confirm`, { code });
    const codes = (await Promise.all(Array.from({ length: 12 }, () => confirm(bad)))).map((g) => g.body.code);
    expect(codes.filter((c) => c === 'mfa_code_invalid')).toHaveLength(4);
    expect(codes.filter((c) => c === 'mfa_attempts_exceeded')).toHaveLength(8);
    const right = await confirm(await codeAt());
    expect(right.status).toBe(429);
    expect(right.body.code).toBe('mfa_attempts_exceeded');
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(right.headers['retry-after'])).toBeLessThanOrEqual(600);
    const { rows } = await t.db.query('SELECT attempts, status FROM totp_factors WHERE enrollment_id = $1', [id]);
    expect(rows[0]).toEqual({ attempts: 5, status: 'pending' });
    clock.advance(10 * 60_000);
    expect((await confirm(await codeAt())).status).toBe(200);
  });

  it('password: ten failures in a row pause sign-in for 15 minutes, even for the right password, and the lockout is audited', async () => {
    const email = `cap-pw-${n++}@example.com`;
    const password = 'lantern-sequoia-52';
    const { id } = await enrollUpToPayment(t.app, t.deps, email);
    expect((await call(t.app, 'PUT', `/v1/enrollments/${id}/password`, { password })).status).toBe(204);
    const done = await call(t.app, 'POST', `/v1/enrollments/${id}/complete`);
    const signIn = (pw: string) => call(t.app, 'POST', '/v1/sessions/password', { email, password: pw });
    for (let i = 0; i < 10; i++) expect((await signIn(`nope-nope-${i}`)).status).toBe(401);
    const during = await signIn(password);
    expect(during.status).toBe(401);
    expect(during.body.code).toBe('password_sign_in_failed');
    const { rows } = await t.db.query(`SELECT action, data FROM audit_events WHERE subject_id = $1 AND action LIKE 'password.%' ORDER BY occurred_at, id`, [done.body.customer_id]);
    expect(rows.filter((r) => r.action === 'password.sign_in_failed' && r.data.reason === 'wrong_password')).toHaveLength(9);
    expect(rows.filter((r) => r.action === 'password.locked')).toHaveLength(1);
    expect(rows.at(-1)).toMatchObject({ action: 'password.sign_in_failed', data: { reason: 'paused' } });
    clock.advance(15 * 60_000 + 1_000);
    expect((await signIn(password)).status).toBe(200);
  });

  it('password: of 40 parallel guesses only 10 are compared, so the right one at position 36 is still refused', async () => {
    const email = `cap-pw-burst-${n++}@example.com`;
    const password = 'quarry-lilac-orbit-88';
    const { id } = await enrollUpToPayment(t.app, t.deps, email);
    expect((await call(t.app, 'PUT', `/v1/enrollments/${id}/password`, { password })).status).toBe(204);
    await call(t.app, 'POST', `/v1/enrollments/${id}/complete`);
    const guesses = Array.from({ length: 40 }, (_, i) => (i === 35 ? password : `wrong-guess-${i}`));
    const results = await Promise.all(guesses.map((pw) => call(t.app, 'POST', '/v1/sessions/password', { email, password: pw })));
    expect(results.every((r) => r.status === 401)).toBe(true);
  });
});
