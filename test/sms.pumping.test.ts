import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/index.js';
import { createManualClock } from '../src/kernel/clock.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { call, profile } from './helpers/flow.js';

/** SMS pumping (toll fraud) beyond the per-number cap, and the per-channel send budgets. */
describe('SMS destinations and send budgets', () => {
  let t: TestApp;
  const clock = createManualClock();
  beforeAll(async () => {
    t = await createTestApp({ SMS_ALLOWED_COUNTRIES: 'DE, us' }, { clock });
  });
  afterAll(() => t.close());

  let n = 0;
  async function withPhone(phone: string) {
    const id = (await call(t.app, 'POST', '/v1/enrollments', {})).body.id as string;
    expect((await call(t.app, 'PUT', `/v1/enrollments/${id}/profile`, profile(`pump-${n++}@example.com`, { phone }))).status).toBe(200);
    return id;
  }
  const sendSms = (id: string) => call(t.app, 'POST', `/v1/enrollments/${id}/verification`, { channel: 'sms' });
  async function refusals(id: string) {
    const { rows } = await t.db.query(`SELECT data FROM audit_events WHERE subject_id = $1 AND action = 'verification.send_refused'`, [id]);
    return rows.map((r) => r.data);
  }
  const codesIssued = async (id: string) => (await t.db.query(`SELECT count(*)::int AS n FROM verification_codes WHERE enrollment_id = $1`, [id])).rows[0].n;

  it.each([
    ['a German fixed line', '+4930123456'],
    ['a US premium-rate number', '+19005550123'],
  ])('refuses %s for SMS with a field code, issues no code, and audits why', async (_label, phone) => {
    const id = await withPhone(phone);
    const res = await sendSms(id);
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ code: 'identity_phone_not_mobile', fields: { phone: ['not_mobile'] } });
    expect(await codesIssued(id)).toBe(0);
    expect(await refusals(id)).toEqual([{ channel: 'sms', reason: 'phone_not_mobile' }]);
    // Email still works for the same enrollment: the profile's phone is fine as a contact number.
    expect((await call(t.app, 'POST', `/v1/enrollments/${id}/verification`, { channel: 'email' })).status).toBe(202);
  });

  it('refuses a mobile number outside SMS_ALLOWED_COUNTRIES', async () => {
    const id = await withPhone('+33612345678');
    const res = await sendSms(id);
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'identity_phone_country_unsupported', fields: { phone: ['country_not_allowed'] } });
    expect(await codesIssued(id)).toBe(0);
    expect(await refusals(id)).toEqual([{ channel: 'sms', reason: 'country_not_allowed' }]);
  });

  it('sends to a mobile in an allowed country, and to a NANP number (mobile and fixed share ranges there)', async () => {
    expect((await sendSms(await withPhone('+4915120000042'))).status).toBe(202);
    expect((await sendSms(await withPhone('+12015550123'))).status).toBe(202);
  });

  it('email and SMS have separate budgets: five SMS in an hour do not block the email code', async () => {
    const id = await withPhone('+4915120000043');
    const sms: number[] = [];
    for (let i = 0; i < 6; i++) {
      sms.push((await sendSms(id)).status);
      clock.advance(31_000);
    }
    expect(sms).toEqual([202, 202, 202, 202, 202, 429]);
    const email: number[] = [];
    for (let i = 0; i < 6; i++) {
      email.push((await call(t.app, 'POST', `/v1/enrollments/${id}/verification`, { channel: 'email' })).status);
      clock.advance(31_000);
    }
    expect(email).toEqual([202, 202, 202, 202, 202, 429]);
  });
});

describe('SMS destinations without an allowlist', () => {
  it('any country is allowed when SMS_ALLOWED_COUNTRIES is empty (mobile-only still holds)', async () => {
    const t = await createTestApp();
    try {
      const id = (await call(t.app, 'POST', '/v1/enrollments', {})).body.id as string;
      await call(t.app, 'PUT', `/v1/enrollments/${id}/profile`, profile('fr-mobile@example.com', { phone: '+33612345678' }));
      expect((await call(t.app, 'POST', `/v1/enrollments/${id}/verification`, { channel: 'sms' })).status).toBe(202);
    } finally {
      await t.close();
    }
  });

  it('refuses a malformed allowlist at boot', async () => {
    expect(() => loadConfig({ SMS_ALLOWED_COUNTRIES: 'DE,Germany' })).toThrow(/SMS_ALLOWED_COUNTRIES/);
  });
});
