import { Algorithm, hash } from '@node-rs/argon2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/kernel/clock.js';
import { commonPasswords } from '../src/passwords/index.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { call, enrollUpToPayment } from './helpers/flow.js';

describe('optional passwords: policy, Argon2id, sign-in, throttling, rehash', () => {
  let t: TestApp;
  const clock = createManualClock(new Date());
  beforeAll(async () => {
    t = await createTestApp({}, { clock });
  });
  afterAll(() => t.close());

  let n = 0;
  const setPassword = (id: string, password: string) => call(t.app, 'PUT', `/v1/enrollments/${id}/password`, { password });
  const signIn = (email: string, password: string) => call(t.app, 'POST', '/v1/sessions/password', { email, password });
  /** A completed enrollment whose owner set `password` (or none). */
  async function owner(password?: string) {
    const email = `pw-${n++}@example.com`;
    const { id } = await enrollUpToPayment(t.app, t.deps, email);
    if (password) expect((await setPassword(id, password)).status).toBe(204);
    const done = await call(t.app, 'POST', `/v1/enrollments/${id}/complete`);
    expect(done.status).toBe(200);
    return { id, email, customerId: done.body.customer_id as string };
  }

  it('bundles a list of at least 10,000 common passwords that the length rule would let through', () => {
    expect(commonPasswords().size).toBeGreaterThanOrEqual(10_000);
    expect(commonPasswords().has('baseball')).toBe(true);
  });

  it('takes 8 to 128 characters (code points), refuses common ones, and has no composition rules', async () => {
    const { id } = await enrollUpToPayment(t.app, t.deps, `policy-${n++}@example.com`);
    const cases: [string, string[] | null][] = [
      ['seven77', ['too_short']],
      ['x'.repeat(129), ['too_long']],
      ['baseball', ['too_common']],
      ['BaseBall', ['too_common']],
      ['a'.repeat(128), null],
      ['correct horse battery staple', null],
      ['🦊🦊🦊🦊🦊🦊🦊🦊', null], // 8 code points, 32 bytes
      ['🦊🦊🦊🦊🦊🦊🦊', ['too_short']],
    ];
    for (const [password, fields] of cases) {
      const res = await setPassword(id, password);
      if (fields) {
        expect(res.status, password).toBe(422);
        expect(res.body).toMatchObject({ code: 'password_rejected', fields: { password: fields } });
      } else {
        expect(res.status, password).toBe(204);
      }
    }
  });

  it('stores only an Argon2id hash with the OWASP parameters, and never logs the password', async () => {
    const password = 'plover-quartz-ember-41';
    const o = await owner(password);
    const { rows } = await t.db.query(`SELECT hash FROM password_credentials WHERE enrollment_id = $1`, [o.id]);
    expect(rows[0].hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(t.logs.join('\n')).not.toContain(password);
    const audit = await t.db.query(`SELECT data::text AS d FROM audit_events`);
    expect(audit.rows.some((r) => r.d.includes(password))).toBe(false);
  });

  it('never truncates: a 128-character password must be given whole', async () => {
    const password = `${'k'.repeat(120)}Zq9!wxyz`;
    const o = await owner(password);
    expect((await signIn(o.email, password.slice(0, 127))).status).toBe(401);
    expect((await signIn(o.email, `${password}a`)).status).toBe(401);
    const ok = await signIn(o.email, password);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ customer_id: o.customerId, session: { method: 'password' } });
    expect(String(ok.headers['set-cookie'])).toMatch(/^__Host-enroll_session=/);
  });

  it('answers a wrong password, an unknown address and a passkey-only account alike', async () => {
    const withPw = await owner('umbrella-violet-93');
    const without = await owner();
    const wrong = await signIn(withPw.email, 'umbrella-violet-94');
    const unknown = await signIn(`nobody-${n++}@example.com`, 'umbrella-violet-93');
    const none = await signIn(without.email, 'umbrella-violet-93');
    for (const r of [wrong, unknown, none]) {
      expect(r.status).toBe(401);
      expect(r.body.code).toBe('password_sign_in_failed');
      expect(Object.keys(r.body).sort()).toEqual(Object.keys(wrong.body).sort());
    }
    // A passkey-first (or code-only) account simply has no password at all.
    const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM password_credentials WHERE enrollment_id = $1`, [without.id]);
    expect(rows[0].n).toBe(0);
  });

  it('rehashes at sign-in when the stored hash was made with other parameters', async () => {
    const password = 'marble-harbor-tundra-7';
    const o = await owner(password);
    const weak = await hash(password, { algorithm: Algorithm.Argon2id, memoryCost: 4096, timeCost: 1, parallelism: 1 });
    await t.db.query(`UPDATE password_credentials SET hash = $2 WHERE enrollment_id = $1`, [o.id, weak]);
    expect((await signIn(o.email, password)).status).toBe(200);
    const { rows } = await t.db.query(`SELECT hash FROM password_credentials WHERE enrollment_id = $1`, [o.id]);
    expect(rows[0].hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(rows[0].hash).not.toBe(weak);
    const audit = await t.db.query(`SELECT count(*)::int AS n FROM audit_events WHERE subject_id = $1 AND action = 'password.rehashed'`, [o.customerId]);
    expect(audit.rows[0].n).toBe(1);
    // And the upgraded hash still verifies.
    expect((await signIn(o.email, password)).status).toBe(200);
  });
});
