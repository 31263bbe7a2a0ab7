import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/kernel/clock.js';
import { totpCode } from '../src/mfa/index.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { completionCounts, EXACTLY_ONE, NOTHING } from './helpers/counts.js';
import { profile, readCode, tokenize } from './helpers/flow.js';
import { freshIp, riskClient, riskOf } from './helpers/risk.js';
import { createSoftAuthenticator } from './helpers/soft-authenticator.js';

const STEP = 30_000;

describe('challenge: a second factor before completion', () => {
  let t: TestApp;
  let c: ReturnType<typeof riskClient>;
  // Mid-step, so a TOTP code computed now is not at a step boundary.
  const clock = createManualClock(new Date(Math.floor(Date.now() / STEP) * STEP + 15_000));
  beforeAll(async () => {
    t = await createTestApp({ RISK_SCORES: '' }, { clock });
    c = riskClient(t, clock);
  });
  afterAll(() => t.close());

  let n = 0;
  /** A disposable address scores 40: a challenge, nothing else. */
  async function challenged(opts: { phone?: string } = {}) {
    const ip = freshIp();
    const mail = `challenge-${n++}@mailinator.com`;
    const { id, res } = await c.profile(mail, { ip, phone: opts.phone });
    expect(res.status).toBe(200);
    expect((await riskOf(t, id)).risk.decision).toBe('challenge');
    return { id, ip, mail };
  }
  async function blockedAtCompletion(id: string, ip: string, factors: string[], headers?: Record<string, string>) {
    const res = await c.complete(id, { ip, headers });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'risk_second_factor_required', factors, enrollment_id: id });
    expect(await completionCounts(t.db, id)).toMatchObject({ ...NOTHING, charges: 0 });
    expect((await c.send('GET', `/v1/enrollments/${id}`)).body.risk).toEqual({ second_factor_required: true, factors });
  }
  async function activateTotp(id: string) {
    const setup = await c.send('POST', `/v1/enrollments/${id}/totp`);
    expect(setup.status).toBe(201);
    const secret = new URL(setup.body.otpauth_uri).searchParams.get('secret')!;
    return { secret, confirm: async () => c.send('POST', `/v1/enrollments/${id}/totp/confirm`, { code: await totpCode(secret, clock.now()) }) };
  }
  async function smsCode(id: string, phone: string) {
    const sent = await c.send('POST', `/v1/enrollments/${id}/verification`, { channel: 'sms' });
    expect(sent.status).toBe(202);
    return readCode(t.app, t.deps, phone);
  }

  it('blocks completion until a TOTP factor is active; a pending one does not count; the same Idempotency-Key then completes', async () => {
    const { id, ip, mail } = await challenged();
    await c.toPayment(id, mail, { ip });
    const key = { 'idempotency-key': `complete-${id}` };
    await blockedAtCompletion(id, ip, ['passkey', 'totp'], key);
    const totp = await activateTotp(id);
    await blockedAtCompletion(id, ip, ['passkey', 'totp'], key); // set up but not confirmed
    expect((await totp.confirm()).status).toBe(200);
    expect((await c.send('GET', `/v1/enrollments/${id}`)).body.risk).toEqual({ second_factor_required: false, factors: [] });
    const done = await c.complete(id, { ip, headers: key });
    expect(done.status).toBe(200);
    expect(await completionCounts(t.db, id)).toEqual(EXACTLY_ONE);
  });

  it('a passkey registered on the enrollment (user verified) is the second factor', async () => {
    const { id, ip, mail } = await challenged();
    await c.toPayment(id, mail, { ip });
    await blockedAtCompletion(id, ip, ['passkey', 'totp']);
    const authenticator = createSoftAuthenticator({ origin: t.deps.config.webauthn.origins[0]!, rpId: t.deps.config.webauthn.rpId });
    const options = await c.send('POST', `/v1/enrollments/${id}/passkeys/options`);
    expect((await c.send('POST', `/v1/enrollments/${id}/passkeys`, authenticator.create(options.body))).status).toBe(201);
    expect((await c.send('GET', `/v1/enrollments/${id}`)).body.risk).toEqual({ second_factor_required: false, factors: [] });
    const done = await c.complete(id, { ip });
    expect(done.status).toBe(200);
    expect(await completionCounts(t.db, id)).toEqual(EXACTLY_ONE);
  });

  it('blocks completion until the phone is proven by SMS, also after the email was verified', async () => {
    const phone = '+4915123459001';
    const { id, ip, mail } = await challenged({ phone });
    await c.toPayment(id, mail, { ip });
    await blockedAtCompletion(id, ip, ['passkey', 'totp', 'sms']);
    clock.advance(31_000); // the per-enrollment resend gap after the email code
    const code = await smsCode(id, phone);
    const confirmed = await c.send('POST', `/v1/enrollments/${id}/verification/confirm`, { code });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'payment_attached', risk: { second_factor_required: false } });
    expect((await c.complete(id, { ip })).status).toBe(200);
  });

  it('an SMS proof made before the email code counts too', async () => {
    const phone = '+4915123459002';
    const { id, ip, mail } = await challenged({ phone });
    const code = await smsCode(id, phone);
    expect((await c.send('POST', `/v1/enrollments/${id}/verification/confirm`, { code })).body.status).toBe('profile_completed');
    clock.advance(31_000); // the per-enrollment resend gap, before the email code
    await c.toPayment(id, mail, { ip });
    expect((await c.complete(id, { ip })).status).toBe(200);
  });

  it('a phone proven and then replaced on the profile proves nothing about the new number', async () => {
    const { id, ip, mail } = await challenged({ phone: '+4915123459003' });
    const code = await smsCode(id, '+4915123459003');
    expect((await c.send('POST', `/v1/enrollments/${id}/verification/confirm`, { code })).status).toBe(200);
    expect((await c.send('PUT', `/v1/enrollments/${id}/profile`, profile(mail, { phone: '+4915123459004' }), { ip })).status).toBe(200);
    clock.advance(31_000);
    await c.toPayment(id, mail, { ip });
    await blockedAtCompletion(id, ip, ['passkey', 'totp', 'sms']);
  });

  it('partner channel: the challenge reaches the partner as a code; after the factor, a retry of the same external_ref completes', async () => {
    const AUTH = { authorization: 'Bearer partner-test-key' };
    const mail = `partner-${n++}@mailinator.com`;
    const body = async () => ({
      external_ref: `risk-${mail}`, email_verified: true, profile: profile(mail),
      plan: { plan_id: 'starter', interval: 'month', currency: 'EUR' }, payment_method: { token: await tokenize(t.app) },
    });
    const first = await c.send('POST', '/v1/channels/partner/enrollments', await body(), { headers: AUTH });
    expect(first.status).toBe(409);
    expect(first.body.code).toBe('risk_second_factor_required');
    const id = first.body.enrollment_id as string;
    // A partner's server is not the customer's client: no bot or IP signals from it, only the customer's data.
    expect((await riskOf(t, id)).codes).toEqual(['email_disposable']);
    expect((await (await activateTotp(id)).confirm()).status).toBe(200);
    const retry = await c.send('POST', '/v1/channels/partner/enrollments', await body(), { headers: AUTH });
    expect(retry.status).toBe(200);
    expect(retry.body.enrollment_id).toBe(id);
    expect(await completionCounts(t.db, id)).toEqual(EXACTLY_ONE);
  });
});
