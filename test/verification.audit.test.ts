import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/kernel/clock.js';
import { totpCode } from '../src/mfa/index.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { call, profile, readCode } from './helpers/flow.js';

/** Issue 3 part 9: every code sent, every failure and every lockout of codes and TOTP is audited, with reasons and no secrets. */
const STEP = 30_000;
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

describe('audit of one-time codes and TOTP', () => {
  let t: TestApp;
  const clock = createManualClock(new Date(Math.floor(Date.now() / STEP) * STEP + 15_000));
  beforeAll(async () => {
    t = await createTestApp({}, { clock });
  });
  afterAll(() => t.close());

  let n = 0;
  async function withProfile(extra: Record<string, unknown> = {}) {
    const id = (await call(t.app, 'POST', '/v1/enrollments', {})).body.id as string;
    const email = `audit-${n++}@example.com`;
    expect((await call(t.app, 'PUT', `/v1/enrollments/${id}/profile`, profile(email, extra))).status).toBe(200);
    return { id, email };
  }
  /** In order; one transaction's events share occurred_at, and a lockout sorts after the failure it comes with. */
  async function events(id: string, prefix: string) {
    const { rows } = await t.db.query<{ action: string; data: Record<string, unknown>; request_id: string | null; actor_type: string }>(
      `SELECT action, data, request_id, actor_type FROM audit_events WHERE subject_id = $1 AND action LIKE $2
       ORDER BY occurred_at, action LIKE '%locked', id`,
      [id, `${prefix}%`],
    );
    return rows;
  }
  const actions = async (id: string, prefix: string) => (await events(id, prefix)).map((r) => `${r.action}:${r.data.reason ?? r.data.channel}`);
  /** Audit rows hold references and reasons: no code, no code hash, no secret. */
  async function expectNoSecrets(id: string, secrets: string[]) {
    const { rows } = await t.db.query(`SELECT data FROM audit_events WHERE subject_id = $1`, [id]);
    const hashes = await t.db.query<{ code_hash: string }>(`SELECT code_hash FROM verification_codes WHERE enrollment_id = $1`, [id]);
    const text = JSON.stringify(rows);
    for (const s of [...secrets, ...hashes.rows.map((r) => r.code_hash)]) expect(text).not.toContain(s);
  }

  it('a code sent by email and by SMS is audited with its channel', async () => {
    const { id } = await withProfile({ phone: '+4915120000001' });
    expect((await call(t.app, 'POST', `/v1/enrollments/${id}/verification`, { channel: 'email' })).status).toBe(202);
    expect((await call(t.app, 'POST', `/v1/enrollments/${id}/verification`, { channel: 'sms' })).status).toBe(202);
    const sent = await events(id, 'verification.code_sent');
    expect(sent.map((r) => r.data.channel)).toEqual(['email', 'sms']);
    expect(sent.every((r) => typeof r.data.verification_id === 'string' && r.request_id)).toBe(true);
  });

  it('every wrong code is verification.failed with attempts left; the fifth is verification.locked; later guesses are attempts_exhausted', async () => {
    const { id, email } = await withProfile();
    await call(t.app, 'POST', `/v1/enrollments/${id}/verification`, { channel: 'email' });
    const code = await readCode(t.app, t.deps, email);
    const answers: string[] = [];
    for (let i = 0; i < 6; i++) answers.push((await call(t.app, 'POST', `/v1/enrollments/${id}/verification/confirm`, { code: wrong(code) })).body.code);
    expect(answers).toEqual([...Array(4).fill('identity_code_invalid'), 'identity_code_attempts_exceeded', 'identity_code_attempts_exceeded']);
    const rows = await events(id, 'verification.');
    const failures = rows.filter((r) => r.action !== 'verification.code_sent');
    expect(failures.map((r) => [r.action, r.data.reason, r.data.attempts_remaining])).toEqual([
      ['verification.failed', 'code_invalid', 4],
      ['verification.failed', 'code_invalid', 3],
      ['verification.failed', 'code_invalid', 2],
      ['verification.failed', 'code_invalid', 1],
      ['verification.failed', 'code_invalid', 0],
      ['verification.locked', 'attempt_cap_reached', undefined],
      ['verification.failed', 'attempts_exhausted', 0],
    ]);
    expect(failures.every((r) => r.data.channel === 'email' && typeof r.data.verification_id === 'string' && r.actor_type === 'anonymous')).toBe(true);
    await expectNoSecrets(id, [code, wrong(code)]);
  });

  it('an expired code, no code at all, and a code for a changed address are failures with their reasons', async () => {
    const { id, email } = await withProfile();
    expect((await call(t.app, 'POST', `/v1/enrollments/${id}/verification/confirm`, { code: '123456' })).body.code).toBe('identity_code_not_requested');
    await call(t.app, 'POST', `/v1/enrollments/${id}/verification`, { channel: 'email' });
    const code = await readCode(t.app, t.deps, email);
    await call(t.app, 'PUT', `/v1/enrollments/${id}/profile`, profile(`moved-${n++}@example.com`));
    expect((await call(t.app, 'POST', `/v1/enrollments/${id}/verification/confirm`, { code })).body.code).toBe('identity_code_invalid');
    clock.advance(10 * 60_000);
    expect((await call(t.app, 'POST', `/v1/enrollments/${id}/verification/confirm`, { code })).body.code).toBe('identity_code_expired');
    expect(await actions(id, 'verification.failed')).toEqual(['verification.failed:no_live_code', 'verification.failed:destination_changed', 'verification.failed:code_expired']);
    await expectNoSecrets(id, [code]);
  });

  it('a send too soon is verification.send_refused; the send that reaches the hourly cap is verification.locked; later sends are refused with that reason', async () => {
    const { id } = await withProfile();
    const statuses: number[] = [];
    statuses.push((await call(t.app, 'POST', `/v1/enrollments/${id}/verification`, { channel: 'email' })).status);
    statuses.push((await call(t.app, 'POST', `/v1/enrollments/${id}/verification`, { channel: 'email' })).status);
    for (let i = 0; i < 5; i++) {
      clock.advance(31_000);
      statuses.push((await call(t.app, 'POST', `/v1/enrollments/${id}/verification`, { channel: 'email' })).status);
    }
    expect(statuses).toEqual([202, 429, 202, 202, 202, 202, 429]);
    const rows = (await events(id, 'verification.')).filter((r) => r.action !== 'verification.code_sent');
    expect(rows.map((r) => [r.action, r.data.reason, r.data.scope ?? null, r.data.channel])).toEqual([
      ['verification.send_refused', 'resend_too_soon', null, 'email'],
      ['verification.locked', 'resend_cap_reached', 'enrollment', 'email'],
      ['verification.send_refused', 'resend_cap_reached', 'enrollment', 'email'],
    ]);
    expect(rows[0].data.retry_after_seconds).toBeGreaterThan(0);
    expect(rows[2].data.retry_after_seconds).toBe(3600);
  });

  it('TOTP: each wrong code is mfa.totp_failed, the one that spends the window also mfa.totp_locked, then attempts_exhausted; a replay is a failure too', async () => {
    const { id } = await withProfile();
    const setup = await call(t.app, 'POST', `/v1/enrollments/${id}/totp`);
    const secret = new URL(setup.body.otpauth_uri).searchParams.get('secret')!;
    const confirm = (code: string) => call(t.app, 'POST', `/v1/enrollments/${id}/totp/confirm`, { code });
    const good = await totpCode(secret, clock.now());
    expect((await confirm(good)).status).toBe(200);
    expect((await confirm(good)).body.code).toBe('mfa_code_replayed');
    const live = new Set(await Promise.all([-1, 0, 1].map((s) => totpCode(secret, new Date(clock.now().getTime() + s * STEP)))));
    let c = Number(good);
    do c = (c + 1) % 1_000_000; while (live.has(String(c).padStart(6, '0')));
    const bad = String(c).padStart(6, '0');
    const answers: string[] = [];
    for (let i = 0; i < 6; i++) answers.push((await confirm(bad)).body.code);
    // The replay spent one of the window's five attempts (attempts are counted before the comparison).
    expect(answers).toEqual([...Array(3).fill('mfa_code_invalid'), ...Array(3).fill('mfa_attempts_exceeded')]);
    const rows = await events(id, 'mfa.totp_');
    expect(rows.map((r) => [r.action, r.data.reason ?? null, r.data.attempts_remaining ?? null])).toEqual([
      ['mfa.totp_added', null, null],
      ['mfa.totp_activated', null, null],
      ['mfa.totp_failed', 'code_replayed', null],
      ['mfa.totp_failed', 'code_invalid', 3],
      ['mfa.totp_failed', 'code_invalid', 2],
      ['mfa.totp_failed', 'code_invalid', 1],
      ['mfa.totp_failed', 'code_invalid', 0],
      ['mfa.totp_locked', 'attempt_cap_reached', null],
      ['mfa.totp_failed', 'attempts_exhausted', 0],
      ['mfa.totp_failed', 'attempts_exhausted', 0],
    ]);
    expect(rows.every((r) => r.data.factor_id === setup.body.factor_id)).toBe(true);
    expect(Number(rows[7].data.retry_after_seconds)).toBeGreaterThan(0);
    const sealed = await t.db.query<{ secret_sealed: string }>(`SELECT secret_sealed FROM totp_factors WHERE enrollment_id = $1`, [id]);
    await expectNoSecrets(id, [secret, secret.toLowerCase(), good, bad, sealed.rows[0].secret_sealed]);
  });
});
