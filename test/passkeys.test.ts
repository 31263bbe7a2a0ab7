import { isoBase64URL } from '@simplewebauthn/server/helpers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/kernel/clock.js';
import { revokeCustomerSessions } from '../src/sessions/index.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { call, enrollUpToPayment, profile } from './helpers/flow.js';
import { createSoftAuthenticator } from './helpers/soft-authenticator.js';

const ORIGIN = 'http://localhost:3000';

describe('passkeys through the HTTP API: registration, sign-in, counters, sessions', () => {
  let t: TestApp;
  const clock = createManualClock(new Date());
  const authenticator = createSoftAuthenticator({ origin: ORIGIN, rpId: 'localhost' });
  beforeAll(async () => {
    t = await createTestApp({ PUBLIC_URL: ORIGIN }, { clock });
  });
  afterAll(() => t.close());

  let n = 0;
  async function withProfile() {
    const id = (await call(t.app, 'POST', '/v1/enrollments', {})).body.id as string;
    expect((await call(t.app, 'PUT', `/v1/enrollments/${id}/profile`, profile(`pk-${n++}@example.com`))).status).toBe(200);
    return id;
  }
  const options = (id: string) => call(t.app, 'POST', `/v1/enrollments/${id}/passkeys/options`);
  const register = (id: string, body: unknown) => call(t.app, 'POST', `/v1/enrollments/${id}/passkeys`, body);
  async function registered(id: string) {
    const o = await options(id);
    const cred = authenticator.create(o.body);
    const res = await register(id, cred);
    expect(res.status).toBe(201);
    return cred.id;
  }
  /** A completed enrollment whose owner holds a passkey. */
  async function owner() {
    const email = `owner-${n++}@example.com`;
    const { id } = await enrollUpToPayment(t.app, t.deps, email);
    const credentialId = await registered(id);
    const done = await call(t.app, 'POST', `/v1/enrollments/${id}/complete`);
    expect(done.status).toBe(200);
    return { id, credentialId, customerId: done.body.customer_id as string, tenantId: done.body.tenant_id as string };
  }
  const cookieOf = (headers: Record<string, unknown>) => {
    const raw = ([] as string[]).concat((headers['set-cookie'] as string[] | string | undefined) ?? []);
    return raw.find((c) => c.startsWith('__Host-enroll_session='));
  };
  const cookieHeader = (setCookie: string) => ({ cookie: setCookie.split(';')[0]! });
  async function signIn(credentialId: string, headers: Record<string, string> = {}) {
    const o = await call(t.app, 'POST', '/v1/sessions/passkey/options', undefined, headers);
    expect(o.status).toBe(200);
    return call(t.app, 'POST', '/v1/sessions/passkey', authenticator.get(o.body, credentialId), headers);
  }

  it('issues registration options tied to the enrollment: random ≥16-byte challenge, UV required, resident key preferred, ≤5 min', async () => {
    const id = await withProfile();
    const a = await options(id);
    const b = await options(id);
    expect(a.status).toBe(200);
    expect(isoBase64URL.toBuffer(a.body.challenge).length).toBeGreaterThanOrEqual(16);
    expect(a.body.challenge).not.toBe(b.body.challenge);
    expect(a.body.rp.id).toBe('localhost');
    expect(a.body.authenticatorSelection).toMatchObject({ userVerification: 'required', residentKey: 'preferred' });
    expect(a.body.timeout).toBeLessThanOrEqual(300_000);
    const { rows } = await t.db.query(`SELECT enrollment_id, purpose, expires_at, created_at FROM webauthn_challenges WHERE challenge = $1`, [a.body.challenge]);
    expect(rows[0]).toMatchObject({ enrollment_id: id, purpose: 'registration' });
    expect(new Date(rows[0].expires_at).getTime() - new Date(rows[0].created_at).getTime()).toBeLessThanOrEqual(300_000);
  });

  it('stores the credential with its counter, transports and backup flags, and audits it', async () => {
    const id = await withProfile();
    const credentialId = await registered(id);
    const { rows } = await t.db.query(`SELECT sign_count, transports, device_type, backed_up, public_key FROM passkey_credentials WHERE credential_id = $1`, [credentialId]);
    expect(rows[0]).toMatchObject({ sign_count: 0, transports: ['internal'], device_type: 'singleDevice', backed_up: false });
    const audit = await t.db.query(`SELECT data FROM audit_events WHERE action = 'passkey.registered' AND subject_id = $1`, [id]);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0].data.credential_id).toBe(credentialId);
  });

  it('spends a challenge once: the same attestation or a second one on it is refused', async () => {
    const id = await withProfile();
    const o = await options(id);
    const first = authenticator.create(o.body);
    expect((await register(id, first)).status).toBe(201);
    const again = await register(id, authenticator.create(o.body));
    expect(again.status).toBe(400);
    expect(again.body.code).toBe('passkey_challenge_invalid');
  });

  it('refuses a challenge issued to another enrollment, and one older than five minutes', async () => {
    const a = await withProfile();
    const b = await withProfile();
    const cross = await register(b, authenticator.create((await options(a)).body));
    expect(cross.body.code).toBe('passkey_challenge_invalid');
    const o = await options(b);
    clock.advance(5 * 60_000 + 1_000);
    const late = await register(b, authenticator.create(o.body));
    expect(late.status).toBe(400);
    expect(late.body.code).toBe('passkey_challenge_invalid');
    // A fresh challenge still works: the refusal spent nothing else.
    await registered(b);
  });

  it('refuses an authenticator that did not verify the user, and a response made for another origin', async () => {
    const id = await withProfile();
    authenticator.setUserVerified(false);
    try {
      const res = await register(id, authenticator.create((await options(id)).body));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('passkey_user_verification_required');
    } finally {
      authenticator.setUserVerified(true);
    }
    const phished = await register(id, authenticator.create((await options(id)).body, { origin: 'https://evil.example' }));
    expect(phished.status).toBe(400);
    expect(phished.body.code).toBe('passkey_verification_failed');
    const { rows } = await t.db.query(`SELECT data->>'reason' AS reason FROM audit_events WHERE action = 'passkey.failed' AND subject_id = $1 ORDER BY occurred_at`, [id]);
    expect(rows.map((r) => r.reason)).toEqual(['user_not_verified', 'attestation_invalid']);
    const stored = await t.db.query(`SELECT count(*)::int AS n FROM passkey_credentials WHERE enrollment_id = $1`, [id]);
    expect(stored.rows[0].n).toBe(0);
  });

  it('a passkey of an unfinished enrollment signs nobody in', async () => {
    const id = await withProfile();
    const credentialId = await registered(id);
    const res = await signIn(credentialId);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('passkey_sign_in_failed');
  });

  it('signs the owner in: a __Host- cookie, Secure, HttpOnly, SameSite=Lax, that opens the tenant', async () => {
    const o = await owner();
    const res = await signIn(o.credentialId);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ customer_id: o.customerId, session: { method: 'passkey', stepped_up: false } });
    const cookie = cookieOf(res.headers)!;
    expect(cookie).toMatch(/^__Host-enroll_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).not.toMatch(/Domain=/i);
    const me = await call(t.app, 'GET', '/v1/sessions/current', undefined, cookieHeader(cookie));
    expect(me.body).toMatchObject({ customer_id: o.customerId, method: 'passkey', stepped_up_at: null });
    const tenant = await call(t.app, 'GET', `/v1/tenants/${o.tenantId}`, undefined, cookieHeader(cookie));
    expect(tenant.status).toBe(200);
    // Only a keyed hash of the token is stored.
    const token = cookie.split(';')[0]!.split('=')[1]!;
    const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM sessions WHERE token_hash = $1`, [token]);
    expect(rows[0].n).toBe(0);
  });

  it('rejects a signature counter that went backwards (a cloned key), and audits it', async () => {
    const o = await owner();
    expect((await signIn(o.credentialId)).status).toBe(200);
    expect((await signIn(o.credentialId)).status).toBe(200);
    authenticator.setCounter(o.credentialId, 0); // the clone's next assertion says 1, the server has seen 2
    const res = await signIn(o.credentialId);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('passkey_sign_count_invalid');
    const { rows } = await t.db.query(`SELECT data FROM audit_events WHERE action = 'passkey.sign_count_regressed' AND subject_id = $1`, [o.credentialId]);
    expect(rows[0].data).toMatchObject({ stored: 2, presented: 1 });
    const stored = await t.db.query(`SELECT sign_count FROM passkey_credentials WHERE credential_id = $1`, [o.credentialId]);
    expect(stored.rows[0].sign_count).toBe(2);
  });

  it('rotates the session on sign-in, and logout revokes it', async () => {
    const o = await owner();
    const first = cookieOf((await signIn(o.credentialId)).headers)!;
    const second = cookieOf((await signIn(o.credentialId, cookieHeader(first))).headers)!;
    expect(second).not.toBe(first);
    expect((await call(t.app, 'GET', '/v1/sessions/current', undefined, cookieHeader(first))).body.code).toBe('session_required');
    expect((await call(t.app, 'GET', '/v1/sessions/current', undefined, cookieHeader(second))).status).toBe(200);
    const out = await call(t.app, 'POST', '/v1/sessions/logout', undefined, cookieHeader(second));
    expect(out.status).toBe(204);
    const after = await call(t.app, 'GET', '/v1/sessions/current', undefined, cookieHeader(second));
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('session_required');
  });

  it('revoking all of a customer\'s sessions (the erasure hook) ends every one of them at once', async () => {
    const o = await owner();
    const a = cookieOf((await signIn(o.credentialId)).headers)!;
    const b = cookieOf((await signIn(o.credentialId)).headers)!; // another device
    const other = await owner();
    const c = cookieOf((await signIn(other.credentialId)).headers)!;
    const n = await t.deps.db.transaction((tx) => revokeCustomerSessions(tx, { customerId: o.customerId, now: clock.now(), reason: 'erasure' }));
    expect(n).toBe(2);
    for (const s of [a, b]) expect((await call(t.app, 'GET', '/v1/sessions/current', undefined, cookieHeader(s))).status).toBe(401);
    expect((await call(t.app, 'GET', '/v1/sessions/current', undefined, cookieHeader(c))).status).toBe(200);
    const audit = await t.db.query(`SELECT data FROM audit_events WHERE action = 'session.revoked' AND subject_id = $1`, [o.customerId]);
    expect(audit.rows[0].data).toMatchObject({ reason: 'erasure', sessions: 2 });
  });

  it('steps up with the owner\'s own passkey only, rotating the session and marking it', async () => {
    const a = await owner();
    const b = await owner();
    const session = cookieOf((await signIn(a.credentialId)).headers)!;
    expect((await call(t.app, 'POST', '/v1/sessions/step-up/passkey/options')).body.code).toBe('session_required');
    const o = await call(t.app, 'POST', '/v1/sessions/step-up/passkey/options', undefined, cookieHeader(session));
    // B's passkey cannot step up A's session.
    const foreign = await call(t.app, 'POST', '/v1/sessions/step-up/passkey', authenticator.get(o.body, b.credentialId), cookieHeader(session));
    expect(foreign.status).toBe(401);
    expect(foreign.body.code).toBe('passkey_sign_in_failed');
    // A step-up challenge cannot sign in anonymously either: it is bound to its session.
    const o2 = await call(t.app, 'POST', '/v1/sessions/step-up/passkey/options', undefined, cookieHeader(session));
    expect((await call(t.app, 'POST', '/v1/sessions/passkey', authenticator.get(o2.body, a.credentialId))).body.code).toBe('passkey_challenge_invalid');
    const o3 = await call(t.app, 'POST', '/v1/sessions/step-up/passkey/options', undefined, cookieHeader(session));
    const up = await call(t.app, 'POST', '/v1/sessions/step-up/passkey', authenticator.get(o3.body, a.credentialId), cookieHeader(session));
    expect(up.status).toBe(200);
    expect(up.body.session.stepped_up).toBe(true);
    const fresh = cookieOf(up.headers)!;
    expect(fresh).not.toBe(session);
    expect((await call(t.app, 'GET', '/v1/sessions/current', undefined, cookieHeader(session))).status).toBe(401);
    const me = await call(t.app, 'GET', '/v1/sessions/current', undefined, cookieHeader(fresh));
    expect(me.body.stepped_up_at).toBe(clock.now().toISOString());
  });
});
