import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/kernel/clock.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { call, profile, readCode } from './helpers/flow.js';
import { startTwilioFake } from './helpers/twilio-fake.js';

const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
const codeIn = (text: string | undefined) => {
  const m = text && /\b(\d{6})\b/.exec(text);
  if (!m) throw new Error('no code in the message');
  return m[1];
};

describe('SMS one-time codes (dev mailbox)', () => {
  let t: TestApp;
  const clock = createManualClock();
  beforeAll(async () => {
    t = await createTestApp({}, { clock });
  });
  afterAll(() => t.close());

  let n = 0;
  async function withProfile(phone: string | null = `+491512${String(n++).padStart(7, '0')}`) {
    const start = await call(t.app, 'POST', '/v1/enrollments', {});
    const id = start.body.id as string;
    const p = await call(t.app, 'PUT', `/v1/enrollments/${id}/profile`, profile(`sms-${n++}@example.com`, phone ? { phone } : {}));
    expect(p.status).toBe(200);
    return { id, phone: phone! };
  }
  async function readSms(phone: string) {
    await t.deps.worker.drain();
    // `+` must travel as %2B: a bare `+` in a query string is a space.
    const { body } = await call(t.app, 'GET', `/dev/mailbox?to=${encodeURIComponent(phone)}`);
    return codeIn(body.messages.at(-1)?.text);
  }
  async function withCode(phone?: string) {
    const p = await withProfile(phone);
    const sent = await call(t.app, 'POST', `/v1/enrollments/${p.id}/verification`, { channel: 'sms' });
    expect(sent.status).toBe(202);
    expect(sent.body).toMatchObject({ channel: 'sms' });
    return { ...p, code: await readSms(p.phone) };
  }

  it('sends by SMS; the code from /dev/mailbox?to=%2B… proves the phone, and only an email code verifies the enrollment', async () => {
    const { id, phone, code } = await withCode();
    expect(encodeURIComponent(phone)).toMatch(/^%2B49/);
    const res = await call(t.app, 'POST', `/v1/enrollments/${id}/verification/confirm`, { code });
    expect(res.status).toBe(200);
    // The account will live under the email: a phone alone must not let anyone claim an address.
    expect(res.body.status).toBe('profile_completed');
    const audit = await t.db.query(`SELECT action FROM audit_events WHERE subject_id = $1 ORDER BY 1`, [id]);
    expect(audit.rows.map((r) => r.action)).toEqual(expect.arrayContaining(['verification.code_sent', 'notification.sms_sent', 'enrollment.phone_verified']));
    const sent = await t.db.query(`SELECT channel, template FROM notifications_sent WHERE job_id IN (SELECT id FROM outbox_jobs WHERE type = 'send-verification-sms')`);
    expect(sent.rows[0]).toMatchObject({ channel: 'sms', template: 'verification-code' });
  });

  it('after the phone, the email code moves the enrollment to verified', async () => {
    const { id, code } = await withCode();
    expect((await call(t.app, 'POST', `/v1/enrollments/${id}/verification/confirm`, { code })).body.status).toBe('profile_completed');
    clock.advance(31_000);
    expect((await call(t.app, 'POST', `/v1/enrollments/${id}/verification`, { channel: 'email' })).status).toBe(202);
    const email = (await call(t.app, 'GET', `/v1/enrollments/${id}`)).body.profile.email as string;
    const mailCode = await readCode(t.app, t.deps, email);
    expect((await call(t.app, 'POST', `/v1/enrollments/${id}/verification/confirm`, { code: mailCode })).body.status).toBe('verified');
  });

  it('a national number in the profile is stored and texted as E.164', async () => {
    const p = await withProfile('0151 23456789');
    expect((await call(t.app, 'POST', `/v1/enrollments/${p.id}/verification`, { channel: 'sms' })).status).toBe(202);
    const code = await readSms('+4915123456789');
    const res = await call(t.app, 'POST', `/v1/enrollments/${p.id}/verification/confirm`, { code });
    expect(res.status).toBe(200);
    const proven = await t.db.query(`SELECT count(*)::int AS n FROM audit_events WHERE subject_id = $1 AND action = 'enrollment.phone_verified'`, [p.id]);
    expect(proven.rows[0].n).toBe(1);
  });

  it('without a phone on the profile: 422 identity_phone_required', async () => {
    const { id } = await withProfile(null);
    const res = await call(t.app, 'POST', `/v1/enrollments/${id}/verification`, { channel: 'sms' });
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ code: 'identity_phone_required', fields: { phone: ['required'] } });
  });

  it('an unknown channel is refused at the edge', async () => {
    const { id } = await withProfile();
    const res = await call(t.app, 'POST', `/v1/enrollments/${id}/verification`, { channel: 'pigeon' });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('request_validation_failed');
  });

  it('is 6 digits and stored only as a keyed hash (the outbox holds it sealed)', async () => {
    const { id, code } = await withCode();
    expect(code).toMatch(/^\d{6}$/);
    const { rows } = await t.db.query('SELECT channel, code_hash FROM verification_codes WHERE enrollment_id = $1', [id]);
    expect(rows[0].channel).toBe('sms');
    expect(rows[0].code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(code);
    const jobs = await t.db.query(`SELECT payload FROM outbox_jobs WHERE payload->>'enrollment_id' = $1`, [id]);
    expect(JSON.stringify(jobs.rows)).not.toContain(code);
  });

  it('expires after 10 minutes', async () => {
    const { id, code } = await withCode();
    clock.advance(10 * 60_000);
    expect((await call(t.app, 'POST', `/v1/enrollments/${id}/verification/confirm`, { code })).body.code).toBe('identity_code_expired');
  });

  it('is single-use, and a code texted to an old number does not verify a changed one', async () => {
    const a = await withCode();
    expect((await call(t.app, 'POST', `/v1/enrollments/${a.id}/verification/confirm`, { code: a.code })).status).toBe(200);
    expect((await call(t.app, 'POST', `/v1/enrollments/${a.id}/verification/confirm`, { code: a.code })).body.code).toBe('identity_code_not_requested');
    const b = await withCode();
    await call(t.app, 'PUT', `/v1/enrollments/${b.id}/profile`, profile('changed-phone@example.com', { phone: '+4915199999999' }));
    expect((await call(t.app, 'POST', `/v1/enrollments/${b.id}/verification/confirm`, { code: b.code })).body.code).toBe('identity_code_invalid');
  });

  it('the newest code is live whichever channel sent it', async () => {
    const { id, code } = await withCode();
    clock.advance(31_000);
    expect((await call(t.app, 'POST', `/v1/enrollments/${id}/verification`, { channel: 'email' })).status).toBe(202);
    const mail = await t.db.query(`SELECT channel FROM verification_codes WHERE enrollment_id = $1 AND superseded_at IS NULL`, [id]);
    expect(mail.rows).toEqual([{ channel: 'email' }]);
    // The SMS code was superseded by the email one.
    const sms = await t.db.query(`SELECT superseded_at IS NOT NULL AS superseded FROM verification_codes WHERE enrollment_id = $1 AND channel = 'sms'`, [id]);
    expect(sms.rows).toEqual([{ superseded: true }]);
    const res = await call(t.app, 'POST', `/v1/enrollments/${id}/verification/confirm`, { code });
    expect(res.body.code).toBe('identity_code_invalid');
  });

  it('rate-limits resends per enrollment, with Retry-After', async () => {
    const { id } = await withCode();
    const tooSoon = await call(t.app, 'POST', `/v1/enrollments/${id}/verification`, { channel: 'sms' });
    expect(tooSoon.status).toBe(429);
    expect(tooSoon.body.code).toBe('identity_resend_limited');
    expect(Number(tooSoon.headers['retry-after'])).toBeGreaterThan(0);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      clock.advance(31_000);
      statuses.push((await call(t.app, 'POST', `/v1/enrollments/${id}/verification`, { channel: 'sms' })).status);
    }
    expect(statuses).toEqual([202, 202, 202, 202, 429]);
  });

  it('caps sends to one number across enrollments (SMS pumping)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const { id } = await withProfile('+4915177777777');
      statuses.push((await call(t.app, 'POST', `/v1/enrollments/${id}/verification`, { channel: 'sms' })).status);
    }
    expect(statuses).toEqual([...Array(10).fill(202), 429, 429]);
  });
});

describe('SMS channel availability and Twilio end to end', () => {
  const ACCOUNT_SID = 'AC' + 'b2'.repeat(16);
  const AUTH_TOKEN = 'twilio-e2e-auth-token-0123456789';
  let fake: Awaited<ReturnType<typeof startTwilioFake>>;
  beforeAll(async () => {
    fake = await startTwilioFake({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  });
  afterAll(() => fake.close());

  it('with Twilio configured, the code goes to Twilio (not the mailbox) and proves the phone', async () => {
    const t = await createTestApp({ TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN, TWILIO_FROM: '+15005550006', TWILIO_BASE_URL: fake.baseUrl });
    try {
      const start = await call(t.app, 'POST', '/v1/enrollments', {});
      const id = start.body.id as string;
      await call(t.app, 'PUT', `/v1/enrollments/${id}/profile`, profile('twilio@example.com', { phone: '+4915122222222' }));
      expect((await call(t.app, 'POST', `/v1/enrollments/${id}/verification`, { channel: 'sms' })).status).toBe(202);
      await t.deps.worker.drain();
      const msg = fake.messages.find((m) => m.to === '+4915122222222')!;
      expect(msg.from).toBe('+15005550006');
      expect(t.deps.mailbox!.list('+4915122222222')).toEqual([]);
      const res = await call(t.app, 'POST', `/v1/enrollments/${id}/verification/confirm`, { code: codeIn(msg.body) });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('profile_completed');
      const sent = await t.db.query(`SELECT provider_message_id FROM notifications_sent WHERE channel = 'sms'`);
      expect(sent.rows[0].provider_message_id).toBe(msg.sid);
      const logs = t.logs.join('\n');
      expect(logs).not.toContain(AUTH_TOKEN);
      expect(logs).not.toContain(Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64'));
    } finally {
      await t.close();
    }
  });

  it('without an SmsSender (production without Twilio): 422 identity_channel_unsupported', async () => {
    const t = await createTestApp();
    try {
      t.deps.sms = null;
      const start = await call(t.app, 'POST', '/v1/enrollments', {});
      await call(t.app, 'PUT', `/v1/enrollments/${start.body.id}/profile`, profile('nosms@example.com', { phone: '+4915133333333' }));
      const res = await call(t.app, 'POST', `/v1/enrollments/${start.body.id}/verification`, { channel: 'sms' });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('identity_channel_unsupported');
    } finally {
      await t.close();
    }
  });

  it('half a Twilio configuration is refused at start', async () => {
    await expect(createTestApp({ TWILIO_ACCOUNT_SID: ACCOUNT_SID })).rejects.toThrow(/TWILIO_/);
  });
});
