import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/kernel/clock.js';
import { totpCode } from '../src/mfa/index.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { call, enrollUpToPayment, tokenize } from './helpers/flow.js';
import { sessionCookie } from './helpers/passkey-owner.js';
import { createSoftAuthenticator } from './helpers/soft-authenticator.js';

const ORIGIN = 'http://localhost:3000';

describe('step-up: changing the card or the plan after enrollment needs a fresh passkey or one-time code', () => {
  let t: TestApp;
  const clock = createManualClock(new Date(Math.floor(Date.now() / 30_000) * 30_000 + 5_000));
  const authenticator = createSoftAuthenticator({ origin: ORIGIN, rpId: 'localhost' });
  beforeAll(async () => {
    t = await createTestApp({ PUBLIC_URL: ORIGIN }, { clock });
  });
  afterAll(() => t.close());

  let n = 0;
  const cookie = sessionCookie;
  /** A completed owner with a passkey and an active authenticator app, signed in with the passkey (not stepped up). */
  async function owner() {
    const { id } = await enrollUpToPayment(t.app, t.deps, `stepup-${n++}@example.com`);
    const o = await call(t.app, 'POST', `/v1/enrollments/${id}/passkeys/options`);
    const cred = authenticator.create(o.body);
    expect((await call(t.app, 'POST', `/v1/enrollments/${id}/passkeys`, cred)).status).toBe(201);
    const totp = await call(t.app, 'POST', `/v1/enrollments/${id}/totp`);
    const secret = new URL(totp.body.otpauth_uri).searchParams.get('secret')!;
    expect((await call(t.app, 'POST', `/v1/enrollments/${id}/totp/confirm`, { code: await totpCode(secret, clock.now()) })).status).toBe(200);
    const done = await call(t.app, 'POST', `/v1/enrollments/${id}/complete`);
    expect(done.status).toBe(200);
    const so = await call(t.app, 'POST', '/v1/sessions/passkey/options');
    const signedIn = await call(t.app, 'POST', '/v1/sessions/passkey', authenticator.get(so.body, cred.id));
    expect(signedIn.status).toBe(200);
    return { credentialId: cred.id, secret, subscriptionId: done.body.subscription.id as string, session: cookie(signedIn) };
  }
  async function stepUpWithPasskey(credentialId: string, session: Record<string, string>) {
    const o = await call(t.app, 'POST', '/v1/sessions/step-up/passkey/options', undefined, session);
    const res = await call(t.app, 'POST', '/v1/sessions/step-up/passkey', authenticator.get(o.body, credentialId), session);
    expect(res.status).toBe(200);
    return cookie(res);
  }
  const changeCard = async (subId: string, session: Record<string, string>, card?: string) =>
    call(t.app, 'PUT', `/v1/subscriptions/${subId}/payment-method`, { token: await tokenize(t.app, card ?? '5555555555554444') }, session);
  const changePlan = (subId: string, session: Record<string, string>, body = { plan_id: 'pro', interval: 'year' }) =>
    call(t.app, 'POST', `/v1/subscriptions/${subId}/change-preview`, body, session);
  const subscription = async (id: string) => (await t.db.query(`SELECT payment_method_id, scheduled_change FROM subscriptions WHERE id = $1`, [id])).rows[0];

  it('refuses both changes without a session, and with a session that has not stepped up', async () => {
    const o = await owner();
    const before = await subscription(o.subscriptionId);
    const anon = await changeCard(o.subscriptionId, {});
    expect(anon.status).toBe(401);
    expect(anon.body.code).toBe('session_required');
    for (const res of [await changeCard(o.subscriptionId, o.session), await changePlan(o.subscriptionId, o.session)]) {
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('session_step_up_required');
    }
    expect(await subscription(o.subscriptionId)).toEqual(before);
  });

  it('after a passkey step-up, changes the card (validated first) and audits it; the step-up lasts five minutes', async () => {
    const o = await owner();
    const before = await subscription(o.subscriptionId);
    const up = await stepUpWithPasskey(o.credentialId, o.session);
    const res = await changeCard(o.subscriptionId, up);
    expect(res.status).toBe(200);
    expect(res.body.payment_method).toMatchObject({ brand: 'mastercard', last4: '4444' });
    const after = await subscription(o.subscriptionId);
    expect(after.payment_method_id).toBe(res.body.payment_method.id);
    expect(after.payment_method_id).not.toBe(before.payment_method_id);
    const { rows } = await t.db.query(`SELECT data FROM audit_events WHERE action = 'subscription.payment_method_changed' AND subject_id = $1`, [o.subscriptionId]);
    expect(rows[0].data).toMatchObject({ from: before.payment_method_id, to: after.payment_method_id, last4: '4444' });
    clock.advance(5 * 60_000 + 1_000);
    expect((await changeCard(o.subscriptionId, up)).body.code).toBe('session_step_up_required');
  });

  it('a declined card changes nothing', async () => {
    const o = await owner();
    const before = await subscription(o.subscriptionId);
    const up = await stepUpWithPasskey(o.credentialId, o.session);
    const res = await changeCard(o.subscriptionId, up, '4000000000000002');
    expect(res.status).toBe(402);
    expect(res.body.code).toBe('payment_card_declined');
    expect(await subscription(o.subscriptionId)).toEqual(before);
  });

  it('someone else\'s subscription does not exist for you, stepped up or not', async () => {
    const a = await owner();
    const b = await owner();
    const up = await stepUpWithPasskey(a.credentialId, a.session);
    const res = await changeCard(b.subscriptionId, up);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('subscription_not_found');
  });

  it('after a TOTP step-up, previews and applies a plan change; codes are not replayable', async () => {
    const o = await owner();
    clock.advance(30_000); // the code that confirmed the factor may not step up
    const wrong = await call(t.app, 'POST', '/v1/sessions/step-up/totp', { code: '000000' === (await totpCode(o.secret, clock.now())) ? '111111' : '000000' }, o.session);
    expect(wrong.status).toBe(422);
    expect(wrong.body.code).toBe('mfa_code_invalid');
    const code = await totpCode(o.secret, clock.now());
    const up = await call(t.app, 'POST', '/v1/sessions/step-up/totp', { code }, o.session);
    expect(up.status).toBe(200);
    expect(up.body.session).toMatchObject({ method: 'totp', stepped_up: true });
    const replay = await call(t.app, 'POST', '/v1/sessions/step-up/totp', { code }, cookie(up));
    expect(replay.body.code).toBe('mfa_code_replayed');

    const res = await changePlan(o.subscriptionId, cookie(up));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ direction: 'upgrade', quote: { plan_id: 'pro', currency: 'EUR', interval: 'year' } });
    const applied = await call(t.app, 'POST', `/v1/subscriptions/${o.subscriptionId}/change`, { change_id: res.body.id }, cookie(up));
    expect(applied.status).toBe(200);
    const same = await changePlan(o.subscriptionId, cookie(up), { plan_id: 'pro', interval: 'year' }); // now the current plan
    expect(same.status).toBe(409);
    expect(same.body.code).toBe('subscription_change_invalid');
  });
});
