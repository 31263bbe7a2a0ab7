import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueDashboardLink } from '../src/dashboard/index.js';
import { createManualClock } from '../src/kernel/clock.js';
import { renderEmail } from '../src/notifications/index.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { totpCode } from '../src/mfa/index.js';
import { call, enrollUpToPayment, readCode, tokenize } from './helpers/flow.js';
import { signedInCustomer } from './helpers/customer.js';
import { passkeyOwner, sessionCookie } from './helpers/passkey-owner.js';
import { createSoftAuthenticator } from './helpers/soft-authenticator.js';

const ORIGIN = 'http://localhost:3000';

describe('step-up by an emailed code: the floor for a customer with no passkey and no authenticator app', () => {
  let t: TestApp;
  const clock = createManualClock(new Date('2026-12-07T10:00:00.000Z'));
  beforeAll(async () => {
    t = await createTestApp({ PUBLIC_URL: ORIGIN }, { clock });
  });
  afterAll(() => t.close());

  let n = 0;
  const customer = async () => {
    const email = `email-stepup-${n++}@example.com`;
    const c = await signedInCustomer(t.app, t.deps, email);
    return { ...c, email, session: c.headers };
  };
  const changeCard = async (subId: string, session: Record<string, string>) =>
    call(t.app, 'PUT', `/v1/subscriptions/${subId}/payment-method`, { token: await tokenize(t.app, '5555555555554444') }, session);
  const sendCode = (session: Record<string, string>) => call(t.app, 'POST', '/v1/sessions/step-up/email', undefined, session);
  const confirm = (session: Record<string, string>, code: string) => call(t.app, 'POST', '/v1/sessions/step-up/email/confirm', { code }, session);
  const paymentMethod = async (subId: string) => (await t.db.query(`SELECT payment_method_id FROM subscriptions WHERE id = $1`, [subId])).rows[0].payment_method_id as string;
  const other = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
  const audited = async (action: string, sessionId: string) =>
    (await t.db.query(`SELECT data FROM audit_events WHERE action = $1 AND subject_type = 'session' AND subject_id = $2 ORDER BY occurred_at`, [action, sessionId])).rows.map((r) => r.data);
  /** An authenticator app set up on the enrollment after the fact (the API sets one up only before completion). */
  const activeTotpFor = (enrollmentId: string) =>
    t.db.query(`INSERT INTO totp_factors (id, enrollment_id, secret_sealed, status, activated_at) VALUES ($1, $2, 'unused', 'active', now())`, [`mfa_test_${n++}`, enrollmentId]);
  const sessionId = async (session: Record<string, string>) => (await call(t.app, 'GET', '/v1/sessions/current', undefined, session)).body.id as string;

  it('a customer signed in by the emailed link is asked for the email factor, confirms the mailed code, and replaces the card', async () => {
    const c = await customer();
    const before = await paymentMethod(c.subscriptionId);
    const refused = await changeCard(c.subscriptionId, c.session);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'session_step_up_required', factors: ['email'] });

    const sent = await sendCode(c.session);
    expect(sent.status).toBe(202);
    expect(sent.body.channel).toBe('email');
    expect(new Date(sent.body.expires_at).getTime() - clock.now().getTime()).toBeLessThanOrEqual(10 * 60_000);
    const code = await readCode(t.app, t.deps, c.email);
    // In the customer's language (the harness enrolls in de-DE), through the shared templates.
    const mail = (await call(t.app, 'GET', `/dev/mailbox?to=${encodeURIComponent(c.email)}`)).body.messages.at(-1);
    expect(mail.subject).toBe(renderEmail('step-up-code', 'de', { code, minutes: 10 }).subject);
    expect(mail.subject).not.toBe(renderEmail('step-up-code', 'en', { code, minutes: 10 }).subject);

    // The code is nowhere in clear: not in the outbox row, not in the codes table, not in the audit trail or the logs.
    const jobs = await t.db.query(`SELECT payload::text AS p FROM outbox_jobs WHERE type = 'send-step-up-email'`);
    expect(jobs.rows.length).toBeGreaterThan(0);
    const stored = await t.db.query(`SELECT code_hash FROM verification_codes WHERE session_id IS NOT NULL`);
    const audit = await t.db.query(`SELECT data::text AS d FROM audit_events WHERE action LIKE 'session.%'`);
    for (const text of [...jobs.rows.map((r) => r.p), ...stored.rows.map((r) => r.code_hash), ...audit.rows.map((r) => r.d), t.logs.join('')]) {
      expect(text).not.toContain(code);
    }

    const id = await sessionId(c.session);
    const up = await confirm(c.session, code);
    expect(up.status).toBe(200);
    expect(up.body.session).toMatchObject({ method: 'email_code', stepped_up: true });
    const stepped = sessionCookie(up);
    expect((await call(t.app, 'GET', '/v1/sessions/current', undefined, c.session)).status).toBe(401); // rotated
    const changed = await changeCard(c.subscriptionId, stepped);
    expect(changed.status).toBe(200);
    expect(await paymentMethod(c.subscriptionId)).toBe(changed.body.payment_method.id);
    expect(await paymentMethod(c.subscriptionId)).not.toBe(before);
    const preview = await call(t.app, 'POST', `/v1/subscriptions/${c.subscriptionId}/change-preview`, { plan_id: 'pro', interval: 'year' }, stepped);
    expect(preview.status).toBe(200);
    expect(await audited('session.step_up_code_sent', id)).toHaveLength(1);
    const { rows } = await t.db.query(`SELECT data FROM audit_events WHERE action = 'session.stepped_up' AND subject_id = $1`, [up.body.session.id]);
    expect(rows[0].data).toMatchObject({ method: 'email_code', replaced_session_id: id });
  });

  it('a confirmed code is spent: replayed on the new session or the old one, it does nothing', async () => {
    const c = await customer();
    await sendCode(c.session);
    const code = await readCode(t.app, t.deps, c.email);
    const up = await confirm(c.session, code);
    expect(up.status).toBe(200);
    const replayOld = await confirm(c.session, code);
    expect(replayOld.status).toBe(401);
    expect(replayOld.body.code).toBe('session_required');
    const replayNew = await confirm(sessionCookie(up), code);
    expect(replayNew.status).toBe(409);
    expect(replayNew.body.code).toBe('identity_code_not_requested');
  });

  it('a wrong code says how many attempts are left; the fifth locks the code, and then even the right one is refused', async () => {
    const c = await customer();
    await sendCode(c.session);
    const code = await readCode(t.app, t.deps, c.email);
    for (let left = 4; left >= 1; left--) {
      const wrong = await confirm(c.session, other(code));
      expect(wrong.status).toBe(422);
      expect(wrong.body).toMatchObject({ code: 'identity_code_invalid', attempts_remaining: left });
    }
    const last = await confirm(c.session, other(code));
    expect(last.status).toBe(429);
    expect(last.body.code).toBe('identity_code_attempts_exceeded');
    const right = await confirm(c.session, code);
    expect(right.status).toBe(429);
    expect(right.body.code).toBe('identity_code_attempts_exceeded');
    const id = await sessionId(c.session);
    expect(await audited('session.step_up_failed', id)).toHaveLength(6);
    expect(await audited('session.step_up_locked', id)).toEqual([expect.objectContaining({ reason: 'attempt_cap_reached' })]);
    expect((await changeCard(c.subscriptionId, c.session)).body.code).toBe('session_step_up_required');
  });

  it('parallel wrong guesses cannot exceed the cap', async () => {
    const c = await customer();
    await sendCode(c.session);
    const code = await readCode(t.app, t.deps, c.email);
    const results = await Promise.all(Array.from({ length: 8 }, () => confirm(c.session, other(code))));
    expect(results.filter((r) => r.body.code === 'identity_code_invalid')).toHaveLength(4);
    expect(results.filter((r) => r.body.code === 'identity_code_attempts_exceeded')).toHaveLength(4);
    expect((await confirm(c.session, code)).body.code).toBe('identity_code_attempts_exceeded');
  });

  it('an expired code is refused as expired', async () => {
    const c = await customer();
    await sendCode(c.session);
    const code = await readCode(t.app, t.deps, c.email);
    clock.advance(10 * 60_000 + 1_000);
    const late = await confirm(c.session, code);
    expect(late.status).toBe(422);
    expect(late.body.code).toBe('identity_code_expired');
  });

  it('a code is bound to the session that asked for it: another session of the same customer cannot use it', async () => {
    const c = await customer();
    const token = await issueDashboardLink(t.db, { customerId: c.customerId, tenantId: c.tenantId, key: t.deps.keys.links, now: clock.now() });
    const second = await t.app.inject({ method: 'GET', url: `/app?token=${token}` });
    const s2 = sessionCookie(second);
    await sendCode(c.session);
    const code = await readCode(t.app, t.deps, c.email);
    const none = await confirm(s2, code);
    expect(none.status).toBe(409);
    expect(none.body.code).toBe('identity_code_not_requested');
    clock.advance(31_000);
    expect((await sendCode(s2)).status).toBe(202);
    const own = await readCode(t.app, t.deps, c.email);
    if (own !== code) expect((await confirm(s2, code)).body.code).toBe('identity_code_invalid');
    // The first session's code still works for the first session: the second session's send did not supersede it.
    expect((await confirm(c.session, code)).status).toBe(200);
  });

  it('a resend waits: too soon is 429 with retry_after_seconds; later, a new code supersedes the old one', async () => {
    const c = await customer();
    expect((await sendCode(c.session)).status).toBe(202);
    const first = await readCode(t.app, t.deps, c.email);
    clock.advance(10_000);
    const soon = await sendCode(c.session);
    expect(soon.status).toBe(429);
    expect(soon.body.code).toBe('identity_resend_limited');
    expect(soon.body.retry_after_seconds).toBe(20);
    expect(soon.headers['retry-after']).toBe('20');
    expect(await audited('session.step_up_code_refused', await sessionId(c.session))).toEqual([expect.objectContaining({ reason: 'resend_too_soon' })]);
    clock.advance(20_000);
    expect((await sendCode(c.session)).status).toBe(202);
    const second = await readCode(t.app, t.deps, c.email);
    if (second !== first) expect((await confirm(c.session, first)).body.code).toBe('identity_code_invalid');
    expect((await confirm(c.session, second)).status).toBe(200);
  });

  it('the hourly cap per session holds: the sixth send in an hour is refused', async () => {
    const c = await customer();
    for (let i = 0; i < 5; i++) {
      expect((await sendCode(c.session)).status).toBe(202);
      clock.advance(31_000);
    }
    const capped = await sendCode(c.session);
    expect(capped.status).toBe(429);
    expect(capped.body.code).toBe('identity_resend_limited');
    expect(capped.body.retry_after_seconds).toBeGreaterThan(30);
  });

  it('a customer who holds a passkey is offered the passkey, not email: the email step-up is refused', async () => {
    const authenticator = createSoftAuthenticator({ origin: ORIGIN, rpId: 'localhost' });
    const o = await passkeyOwner(t.app, t.deps, authenticator, `email-stepup-pk-${n++}@example.com`);
    const refused = await changeCard(o.done.subscription.id, o.session);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'session_step_up_required', factors: ['passkey'] });
    const send = await sendCode(o.session);
    expect(send.status).toBe(403);
    expect(send.body).toMatchObject({ code: 'session_step_up_factor_unavailable', factors: ['passkey'] });
    expect((await t.db.query(`SELECT count(*)::int AS n FROM verification_codes WHERE session_id IS NOT NULL AND session_id = $1`, [await sessionId(o.session)])).rows[0].n).toBe(0);
  });

  it('a customer who holds an authenticator app is offered it, not email; a passkey and an app are both named, strongest first', async () => {
    const email = `email-stepup-totp-${n++}@example.com`;
    const { id } = await enrollUpToPayment(t.app, t.deps, email);
    const setup = await call(t.app, 'POST', `/v1/enrollments/${id}/totp`);
    const secret = new URL(setup.body.otpauth_uri).searchParams.get('secret')!;
    expect((await call(t.app, 'POST', `/v1/enrollments/${id}/totp/confirm`, { code: await totpCode(secret, clock.now()), factor_id: setup.body.factor_id })).status).toBe(200);
    const done = await call(t.app, 'POST', `/v1/enrollments/${id}/complete`);
    const token = await issueDashboardLink(t.db, { customerId: done.body.customer_id, tenantId: done.body.tenant_id, key: t.deps.keys.links, now: clock.now() });
    const session = sessionCookie(await t.app.inject({ method: 'GET', url: `/app?token=${token}` }));
    expect((await changeCard(done.body.subscription.id, session)).body).toMatchObject({ code: 'session_step_up_required', factors: ['totp'] });
    expect((await sendCode(session)).body).toMatchObject({ code: 'session_step_up_factor_unavailable', factors: ['totp'] });

    // Both held: both named, the passkey first.
    const authenticator = createSoftAuthenticator({ origin: ORIGIN, rpId: 'localhost' });
    const both = await passkeyOwner(t.app, t.deps, authenticator, `email-stepup-both-${n++}@example.com`);
    await activeTotpFor(both.enrollmentId);
    expect((await changeCard(both.done.subscription.id, both.session)).body).toMatchObject({ code: 'session_step_up_required', factors: ['passkey', 'totp'] });
  });

  it('a code sent before the customer added a stronger factor can no longer step up', async () => {
    const c = await customer();
    await sendCode(c.session);
    const code = await readCode(t.app, t.deps, c.email);
    await activeTotpFor(c.enrollmentId);
    const res = await confirm(c.session, code);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'session_step_up_factor_unavailable', factors: ['totp'] });
  });

  it('without a session there is nothing to step up', async () => {
    expect((await sendCode({})).body.code).toBe('session_required');
    expect((await confirm({}, '123456')).body.code).toBe('session_required');
  });
});
