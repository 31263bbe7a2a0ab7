import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/kernel/clock.js';
import { open } from '../src/kernel/crypto.js';
import { totpCode } from '../src/mfa/index.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { call, profile } from './helpers/flow.js';

const STEP = 30_000;

describe('TOTP (authenticator app) factors through the HTTP API', () => {
  let t: TestApp;
  // Mid-step, so "±1 step" below never straddles an accidental boundary.
  const clock = createManualClock(new Date(Math.floor(Date.now() / STEP) * STEP + 15_000));
  beforeAll(async () => {
    t = await createTestApp({}, { clock });
  });
  afterAll(() => t.close());

  let n = 0;
  async function withProfile(email = `totp-${n++}@example.com`) {
    const start = await call(t.app, 'POST', '/v1/enrollments', {});
    const id = start.body.id as string;
    expect((await call(t.app, 'PUT', `/v1/enrollments/${id}/profile`, profile(email))).status).toBe(200);
    return { id, email };
  }
  async function withFactor() {
    const { id, email } = await withProfile();
    const res = await call(t.app, 'POST', `/v1/enrollments/${id}/totp`);
    expect(res.status).toBe(201);
    const secret = new URL(res.body.otpauth_uri).searchParams.get('secret')!;
    return { id, email, secret, factorId: res.body.factor_id as string, body: res.body };
  }
  const codeAt = (secret: string, offsetSteps = 0) => totpCode(secret, new Date(clock.now().getTime() + offsetSteps * STEP));
  const confirm = (id: string, body: Record<string, unknown>) => call(t.app, 'POST', `/v1/enrollments/${id}/totp/confirm`, body);
  /** A 6-digit code that matches none of the steps in the ±1 window. */
  async function wrongCode(secret: string) {
    const live = new Set([await codeAt(secret, -1), await codeAt(secret, 0), await codeAt(secret, 1)]);
    let c = Number(await codeAt(secret));
    do c = (c + 1) % 1_000_000; while (live.has(String(c).padStart(6, '0')));
    return String(c).padStart(6, '0');
  }

  it('setup returns an otpauth URI (Enroll, the email, SHA1, 6 digits, 30 s, 160-bit secret) and an SVG QR code', async () => {
    const { email, body, factorId } = await withFactor();
    expect(factorId).toMatch(/^mfa_[0-9a-z]{26}$/);
    const uri = new URL(body.otpauth_uri);
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe(`/Enroll:${email}`);
    expect(uri.searchParams.get('issuer')).toBe('Enroll');
    expect(uri.searchParams.get('algorithm')).toBe('SHA1');
    expect(uri.searchParams.get('digits')).toBe('6');
    expect(uri.searchParams.get('period')).toBe('30');
    expect(uri.searchParams.get('secret')).toMatch(/^[A-Z2-7]{32}$/); // 32 base32 characters = 20 bytes
    expect(body.qr_svg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
  });

  it('each setup draws a fresh secret', async () => {
    const a = await withFactor();
    const b = await withFactor();
    expect(a.secret).not.toBe(b.secret);
  });

  it('stores the secret encrypted, never in plaintext, and keeps it out of audit rows and the idempotency store', async () => {
    const { id, secret, factorId } = await withProfile().then(async ({ id }) => {
      const res = await call(t.app, 'POST', `/v1/enrollments/${id}/totp`, undefined, { 'idempotency-key': `totp-setup-${id}` });
      expect(res.status).toBe(201);
      return { id, secret: new URL(res.body.otpauth_uri).searchParams.get('secret')!, factorId: res.body.factor_id as string };
    });
    const { rows } = await t.db.query('SELECT * FROM totp_factors WHERE id = $1', [factorId]);
    expect(rows).toHaveLength(1);
    const row = JSON.stringify(rows[0]);
    expect(row.toUpperCase()).not.toContain(secret);
    expect(open(t.deps.keys.totp, rows[0].secret_sealed)).toBe(secret); // sealed, not hashed: the server can still compute codes
    const audit = await t.db.query('SELECT action, data FROM audit_events WHERE subject_id = $1', [id]);
    expect(audit.rows.map((r) => r.action)).toContain('mfa.totp_added');
    expect(JSON.stringify(audit.rows).toUpperCase()).not.toContain(secret);
    // The setup response carries the secret, so it is not kept for idempotent replay.
    const idem = await t.db.query('SELECT * FROM idempotency_keys');
    expect(JSON.stringify(idem.rows).toUpperCase()).not.toContain(secret);
  });

  it('a correct code activates the factor, audits it without secrets, and leaves the enrollment state alone', async () => {
    const { id, secret, factorId } = await withFactor();
    const code = await codeAt(secret);
    const res = await confirm(id, { code });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ factor_id: factorId, status: 'active' });
    const { rows } = await t.db.query('SELECT status FROM totp_factors WHERE id = $1', [factorId]);
    expect(rows[0].status).toBe('active');
    const audit = await t.db.query(`SELECT data FROM audit_events WHERE action = 'mfa.totp_activated' AND subject_id = $1`, [id]);
    expect(audit.rows).toHaveLength(1);
    expect(JSON.stringify(audit.rows)).not.toContain(secret);
    expect(JSON.stringify(audit.rows)).not.toMatch(new RegExp(`(?<!\\d)${code}(?!\\d)`));
    expect((await call(t.app, 'GET', `/v1/enrollments/${id}`)).body.status).toBe('profile_completed');
  });

  it('once a factor is active, nobody holding only the enrollment id can add another beside it', async () => {
    const { id, secret } = await withFactor();
    expect((await confirm(id, { code: await codeAt(secret) })).status).toBe(200);
    const again = await call(t.app, 'POST', `/v1/enrollments/${id}/totp`);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('mfa_factor_exists');
    const { rows } = await t.db.query('SELECT status FROM totp_factors WHERE enrollment_id = $1', [id]);
    expect(rows).toEqual([{ status: 'active' }]);
  });

  it('parallel setups leave exactly one pending factor and no error', async () => {
    const { id } = await withProfile();
    const results = await Promise.all(Array.from({ length: 6 }, () => call(t.app, 'POST', `/v1/enrollments/${id}/totp`)));
    expect(results.map((r) => r.status)).toEqual(Array(6).fill(201));
    const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM totp_factors WHERE enrollment_id = $1 AND status = 'pending'`, [id]);
    expect(rows[0].n).toBe(1);
  });

  it('accepts a code one step early or late, refuses two steps', async () => {
    for (const offset of [-1, 1]) {
      const { id, secret } = await withFactor();
      expect((await confirm(id, { code: await codeAt(secret, offset) })).status).toBe(200);
    }
    for (const offset of [-2, 2]) {
      const { id, secret } = await withFactor();
      const res = await confirm(id, { code: await codeAt(secret, offset) });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('mfa_code_invalid');
    }
  });

  it('mfa.totp.replay: an accepted code, or one from an earlier step, is refused with mfa_code_replayed', async () => {
    const { id, secret } = await withFactor();
    const code = await codeAt(secret);
    expect((await confirm(id, { code })).status).toBe(200);
    const replay = await confirm(id, { code });
    expect(replay.status).toBe(422);
    expect(replay.body.code).toBe('mfa_code_replayed');
    // The previous step's code is still inside the window but older than the accepted one.
    expect((await confirm(id, { code: await codeAt(secret, -1) })).body.code).toBe('mfa_code_replayed');
    // The next step is fresh.
    clock.advance(STEP);
    expect((await confirm(id, { code: await codeAt(secret) })).status).toBe(200);
  });

  it('mfa.totp.replay: of parallel submissions of one code, exactly one is accepted', async () => {
    const { id, secret } = await withFactor();
    const code = await codeAt(secret);
    const results = await Promise.all(Array.from({ length: 4 }, () => confirm(id, { code })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.body.code === 'mfa_code_replayed')).toHaveLength(3);
  });

  it('unknown factor: 404 mfa_factor_not_found, for no setup, an unknown id or another enrollment\'s factor', async () => {
    const { id } = await withProfile();
    const none = await confirm(id, { code: '123456' });
    expect(none.status).toBe(404);
    expect(none.body.code).toBe('mfa_factor_not_found');
    expect((await confirm(id, { code: '123456', factor_id: `mfa_${'0'.repeat(26)}` })).body.code).toBe('mfa_factor_not_found');
    const other = await withFactor();
    const cross = await confirm(id, { code: await codeAt(other.secret), factor_id: other.factorId });
    expect(cross.status).toBe(404);
    expect(cross.body.code).toBe('mfa_factor_not_found');
  });

  it('a new setup supersedes the pending factor', async () => {
    const first = await withFactor();
    const second = await call(t.app, 'POST', `/v1/enrollments/${first.id}/totp`);
    expect(second.status).toBe(201);
    const old = await confirm(first.id, { code: await codeAt(first.secret), factor_id: first.factorId });
    expect(old.body.code).toBe('mfa_factor_not_found');
    const secret = new URL(second.body.otpauth_uri).searchParams.get('secret')!;
    expect((await confirm(first.id, { code: await codeAt(secret) })).status).toBe(200);
  });

  it('needs a profile first, and refuses unknown enrollments and malformed codes', async () => {
    const start = await call(t.app, 'POST', '/v1/enrollments', {});
    const early = await call(t.app, 'POST', `/v1/enrollments/${start.body.id}/totp`);
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('enrollment_invalid_transition');
    expect((await call(t.app, 'POST', '/v1/enrollments/enr_nope/totp')).body.code).toBe('enrollment_not_found');
    const { id } = await withFactor();
    const bad = await confirm(id, { code: '12ab56' });
    expect(bad.status).toBe(422);
    expect(bad.body.fields).toEqual({ code: ['invalid_format'] });
  });
});
