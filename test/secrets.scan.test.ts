import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_CARDS } from '../src/gateway-sandbox/index.js';
import { totpCode } from '../src/mfa/index.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { call, enrollUpToPayment, profile, tokenize } from './helpers/flow.js';

/**
 * After a run with every test card, on both channels, plus TOTP factors (set
 * up, confirmed, replayed, locked out) and SMS codes, no PAN, CVC, one-time
 * code, TOTP secret, card token, link/session token or configured secret may appear in
 * logs, audit rows or job payloads — and no PAN anywhere in the database.
 */
/** RFC 4648 base32 → bytes (the TOTP secret's raw form). */
function base32Bytes(b32: string): Buffer {
  let bits = '';
  for (const ch of b32.replace(/=+$/, '')) bits += 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'.indexOf(ch).toString(2).padStart(5, '0');
  return Buffer.from((bits.match(/.{8}/g) ?? []).map((b) => parseInt(b, 2)));
}

describe('secrets never leak into logs, audit rows or job payloads', () => {
  let t: TestApp;
  const secrets = new Set<string>();
  const cards = ['4242424242424242', '4000000000000002', '4000000000009995', '4000000000000069', '4000000000000127', '4000000000000119'];

  beforeAll(async () => {
    t = await createTestApp({ APP_SECRET: 'app-secret-for-scan-0123456789', GATEWAY_SECRET: 'gateway-secret-for-scan-0123456789' });
    ['app-secret-for-scan-0123456789', 'gateway-secret-for-scan-0123456789', 'admin-test-key', 'partner-test-key', ...cards].forEach((s) => secrets.add(s));
    let i = 0;
    for (const card of cards) {
      const email = `scan-${i++}@example.com`;
      const { id } = await enrollUpToPayment(t.app, t.deps, email, { card });
      const done = await call(t.app, 'POST', `/v1/enrollments/${id}/complete`, undefined, { 'idempotency-key': `scan-${id}-key` });
      expect([200, 402]).toContain(done.status);
      const partner = await call(
        t.app, 'POST', '/v1/channels/partner/enrollments',
        { external_ref: `scan-${i}`, email_verified: true, profile: profile(`partner-${email}`), plan: { plan_id: 'starter', interval: 'month', currency: 'EUR' }, payment_method: { token: await tokenize(t.app, card) } },
        { authorization: 'Bearer partner-test-key' },
      );
      expect([200, 402]).toContain(partner.status);
    }
    // TOTP: set up factors, confirm one, replay it, guess wrong up to the lockout; the secrets it handed out join the scan.
    for (let k = 0; k < 2; k++) {
      const start = await call(t.app, 'POST', '/v1/enrollments', {});
      const id = start.body.id as string;
      await call(t.app, 'PUT', `/v1/enrollments/${id}/profile`, profile(`totp-scan-${k}@example.com`, { phone: `+4915120009${k}00` }));
      const setup = await call(t.app, 'POST', `/v1/enrollments/${id}/totp`);
      expect(setup.status).toBe(201);
      const secret = new URL(setup.body.otpauth_uri).searchParams.get('secret')!;
      // The secret in every form it could slip out as: base32 (either case), its bytes in hex and base64, the URI.
      const bytes = base32Bytes(secret);
      expect(bytes.length).toBe(20);
      [secret, secret.toLowerCase(), bytes.toString('hex'), bytes.toString('base64'), setup.body.otpauth_uri].forEach((x) => secrets.add(x));
      const good = await totpCode(secret, new Date());
      secrets.add(good);
      expect((await call(t.app, 'POST', `/v1/enrollments/${id}/totp/confirm`, { code: good })).status).toBe(200);
      await call(t.app, 'POST', `/v1/enrollments/${id}/totp/confirm`, { code: good });
      const live = new Set(await Promise.all([-1, 0, 1].map((st) => totpCode(secret, new Date(Date.now() + st * 30_000)))));
      for (let g = 0, c = Number(good); g < 6; g++) {
        do c = (c + 1) % 1_000_000; while (live.has(String(c).padStart(6, '0')));
        secrets.add(String(c).padStart(6, '0'));
        await call(t.app, 'POST', `/v1/enrollments/${id}/totp/confirm`, { code: String(c).padStart(6, '0') });
      }
      // And an SMS code on the same enrollment, with a wrong guess at it.
      expect((await call(t.app, 'POST', `/v1/enrollments/${id}/verification`, { channel: 'sms' })).status).toBe(202);
      await call(t.app, 'POST', `/v1/enrollments/${id}/verification/confirm`, { code: '000000' });
    }
    // A password account: set during enrollment, then a sign-in with it (and a wrong guess); the session joins the scan.
    {
      const password = 'Scan-Password-horse-battery-91';
      secrets.add(password);
      const { id } = await enrollUpToPayment(t.app, t.deps, 'password-scan@example.com');
      expect((await call(t.app, 'PUT', `/v1/enrollments/${id}/password`, { password })).status).toBe(204);
      expect((await call(t.app, 'POST', `/v1/enrollments/${id}/complete`, undefined, { 'idempotency-key': `scan-${id}-key` })).status).toBe(200);
      await call(t.app, 'POST', '/v1/sessions/password', { email: 'password-scan@example.com', password: 'Wrong-guess-horse-battery-1' });
      const session = await call(t.app, 'POST', '/v1/sessions/password', { email: 'password-scan@example.com', password });
      expect(session.status).toBe(200);
      secrets.add(String(session.headers['set-cookie']).split(';')[0]!.split('=')[1]!);
    }
    const mfaAudit = await t.db.query(`SELECT count(*)::int AS n FROM audit_events WHERE action IN ('mfa.totp_failed', 'mfa.totp_locked')`);
    expect(mfaAudit.rows[0].n).toBeGreaterThanOrEqual(10);
    await t.deps.worker.drain();
    // Collect what was handed out: codes and links from the mailbox, tokens from the gateway, the session cookie.
    let link = '';
    for (const m of t.deps.mailbox!.list()) {
      link = /token=([\w-]+)/.exec(m.text)?.[1] ?? link;
      for (const code of m.text.match(/\b\d{6}\b/g) ?? []) secrets.add(code);
      for (const link of m.text.match(/token=[\w-]+/g) ?? []) secrets.add(link.slice('token='.length));
    }
    const toks = await t.db.query<{ id: string }>('SELECT id FROM gateway_tokens');
    toks.rows.forEach((r) => secrets.add(r.id));
    const signin = await t.app.inject({ method: 'GET', url: `/app?token=${link}` });
    secrets.add(String(signin.headers['set-cookie']).split(';')[0].split('=')[1]);
    await t.app.inject({ method: 'GET', url: '/app', headers: { cookie: String(signin.headers['set-cookie']).split(';')[0] } });
  }, 120_000);
  afterAll(() => t.close());

  // A 6-digit code counts only as a whole number: "responseTime":12.123456 in a log line is not a leak.
  const leaks = (haystack: string) =>
    [...secrets].filter((s) => (/^\d{6}$/.test(s) ? new RegExp(`(?<![\\d.])${s}(?!\\d)`).test(haystack) : haystack.includes(s)));

  it('collected something real to look for', () => {
    expect(secrets.size).toBeGreaterThan(30);
  });

  it('logs', () => {
    const logs = t.logs.join('\n');
    expect(logs.length).toBeGreaterThan(1000);
    expect(leaks(logs)).toEqual([]);
    expect(logs.toLowerCase()).not.toContain('"cvc"');
  });

  it('audit rows', async () => {
    const { rows } = await t.db.query('SELECT * FROM audit_events');
    expect(rows.length).toBeGreaterThan(50);
    const text = JSON.stringify(rows);
    expect(leaks(text)).toEqual([]);
    expect(text.toLowerCase()).not.toContain('"cvc"');
  });

  it('job payloads', async () => {
    const { rows } = await t.db.query('SELECT type, payload, last_error FROM outbox_jobs');
    expect(rows.length).toBeGreaterThanOrEqual(8);
    expect(leaks(JSON.stringify(rows))).toEqual([]);
  });

  it('no PAN in any table, gateway tables included (they hold ciphertext)', async () => {
    const tables = await t.db.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`);
    for (const { table_name } of tables.rows) {
      const { rows } = await t.db.query(`SELECT * FROM ${table_name}`);
      const text = JSON.stringify(rows);
      expect({ table: table_name, pans: cards.filter((c) => text.includes(c)) }).toEqual({ table: table_name, pans: [] });
    }
  });

  it('no card token, link or session token, or configured secret in any enrollment-side table', async () => {
    // One-time codes are left out here: a 6-digit run turns up by chance in hex hashes. They are covered above.
    const needles = [...secrets].filter((s) => !/^\d{6}$/.test(s));
    const tables = await t.db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT LIKE 'gateway\\_%'`,
    );
    expect(tables.rows.length).toBeGreaterThan(15);
    for (const { table_name } of tables.rows) {
      const text = JSON.stringify((await t.db.query(`SELECT * FROM ${table_name}`)).rows);
      expect({ table: table_name, leaks: needles.filter((n) => text.includes(n)) }).toEqual({ table: table_name, leaks: [] });
    }
  });

  /** Luhn-valid 13–19 digit runs that could be a card number: whole tokens (not inside a hash or id), a card network's first digit. */
  const pans = (text: string) =>
    (text.match(/(?<![\w.])[2-6]\d{12,18}(?![\w])/g) ?? []).filter((run) => {
      let sum = 0;
      for (let i = 0; i < run.length; i++) {
        let d = Number(run[run.length - 1 - i]);
        if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
        sum += d;
      }
      return sum % 10 === 0;
    });
  const EMAIL = /[\w.+-]+@[\w-]+(\.[\w-]+)*\.[a-z]{2,}/gi;
  const everyTable = async () => {
    const tables = await t.db.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`);
    return Promise.all(tables.rows.map(async ({ table_name }) => ({ table: table_name, text: JSON.stringify((await t.db.query(`SELECT * FROM ${table_name}`)).rows) })));
  };

  it('no Luhn-valid card number anywhere: logs, every table, job payloads', async () => {
    expect(pans(`x 4242424242424242 y`)).toEqual(['4242424242424242']); // the detector detects
    expect(pans(t.logs.join('\n'))).toEqual([]);
    for (const { table, text } of await everyTable()) expect({ table, pans: pans(text) }).toEqual({ table, pans: [] });
  });

  it('no plaintext email address outside the PII vault: logs, every table, job payloads', async () => {
    // A Message-ID (<msg_…@host>) has the shape of an address but names a message, not a person.
    const emails = (text: string) => (text.match(EMAIL) ?? []).filter((m) => !/^msg_[0-9a-z]{26}@/.test(m));
    expect(emails('a.b+c@example.com <msg_01m89trevvax4fggy0j60begg7@x.localhost>')).toEqual(['a.b+c@example.com']); // the detector detects
    expect(emails(t.logs.join('\n'))).toEqual([]);
    const found = (await everyTable()).map(({ table, text }) => ({ table, emails: emails(text) })).filter((x) => x.emails.length > 0);
    expect(found).toEqual([]);
  });

  it('the test cards are the ones the gateway recognises', () => {
    expect(Object.keys(TEST_CARDS).length).toBeGreaterThanOrEqual(6);
  });
});
