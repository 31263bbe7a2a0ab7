import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { call, profile, readCode, tokenize } from './helpers/flow.js';
import { startTwilioFake } from './helpers/twilio-fake.js';

const ACCOUNT_SID = 'AC' + 'e5'.repeat(16);
const AUTH_TOKEN = 'twilio-erasure-auth-token-0123456';
const EMAIL = 'sms.erasure@example.com';
/** The first, abandoned try's number; then changed on that same try: no text ever went to REPLACED. */
const FIRST_TRY_PHONE = '+4915123400101';
const REPLACED = '+4915123400102';
const PHONE = '+4915123400103';
const OTHER_PHONE = '+4915123400109';

/** Erasure reaches the SMS provider: every text sent to the person is deleted there, through the adapter. */
describe('erasure deletes the SMS sent to the person at the provider (Twilio wire fake)', () => {
  let fake: Awaited<ReturnType<typeof startTwilioFake>>;
  let t: TestApp;
  const sids = (to: string) => fake.messages.filter((m) => m.to === to).map((m) => m.sid);

  async function textCode(email: string, phone: string): Promise<string> {
    const id = (await call(t.app, 'POST', '/v1/enrollments', { locale: 'de-DE', country: 'DE', currency: 'EUR' })).body.id as string;
    expect((await call(t.app, 'PUT', `/v1/enrollments/${id}/profile`, profile(email, { phone }))).status).toBe(200);
    expect((await call(t.app, 'POST', `/v1/enrollments/${id}/verification`, { channel: 'sms' })).status).toBe(202);
    await t.deps.worker.drain();
    return id;
  }

  let customerId: string;
  let sent: { firstTry: string; own: string; other: string };

  beforeAll(async () => {
    fake = await startTwilioFake({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
    t = await createTestApp(
      { TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN, TWILIO_FROM: '+15005550006', TWILIO_BASE_URL: fake.baseUrl },
      // A failed attempt is retried a minute later, never within the same drain (full jitter can be ~0 ms): one drain, one attempt.
      { jobBackoff: () => 60_000 },
    );
    // An abandoned first try with the same address, texted, then given another number: only its audit trail still
    // links that text to the person.
    const firstTry = await textCode(EMAIL, FIRST_TRY_PHONE);
    expect((await call(t.app, 'PUT', `/v1/enrollments/${firstTry}/profile`, profile(EMAIL, { phone: REPLACED }))).status).toBe(200);
    // The try that becomes the customer: phone code, then email code, plan, card, completion.
    const id = await textCode(EMAIL, PHONE);
    const code = /\b(\d{6})\b/.exec(fake.messages.find((m) => m.to === PHONE)!.body)![1];
    expect((await call(t.app, 'POST', `/v1/enrollments/${id}/verification/confirm`, { code })).status).toBe(200);
    expect((await call(t.app, 'POST', `/v1/enrollments/${id}/verification`, { channel: 'email' })).status).toBe(202);
    expect((await call(t.app, 'POST', `/v1/enrollments/${id}/verification/confirm`, { code: await readCode(t.app, t.deps, EMAIL) })).body.status).toBe('verified');
    expect((await call(t.app, 'PUT', `/v1/enrollments/${id}/plan`, { plan_id: 'starter', interval: 'month', currency: 'EUR' })).status).toBe(200);
    expect((await call(t.app, 'PUT', `/v1/enrollments/${id}/payment-method`, { token: await tokenize(t.app) })).status).toBe(200);
    const done = await call(t.app, 'POST', `/v1/enrollments/${id}/complete`);
    expect(done.status).toBe(200);
    customerId = done.body.customer_id as string;
    // Someone else, texted too.
    await textCode('someone.else@example.com', OTHER_PHONE);
    await t.deps.worker.drain();
    sent = { firstTry: sids(FIRST_TRY_PHONE)[0]!, own: sids(PHONE)[0]!, other: sids(OTHER_PHONE)[0]! };
    expect(Object.values(sent).every(Boolean)).toBe(true);
    expect(sids(REPLACED)).toEqual([]);
  }, 120_000);
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  const request = () => t.db.query(`SELECT status, result FROM erasure_requests WHERE customer_id = $1`, [customerId]).then((r) => r.rows[0]);

  it('a provider failure (a text still in delivery) fails the job before any key is shredded; the retry finishes without tripping over what it deleted', async () => {
    // The job deletes in id order: holding back the later id makes the first attempt delete the earlier one, so the
    // retry meets a text it deleted itself (Twilio's 404).
    const [earlier, later] = [sent.own, sent.firstTry].sort();
    fake.inFlight.add(later);
    expect((await call(t.app, 'DELETE', `/v1/customers/${customerId}`, undefined, { authorization: 'Bearer admin-test-key' })).status).toBe(202);
    await t.deps.worker.drain();
    const job = await t.db.query(`SELECT status, attempts FROM outbox_jobs WHERE type = 'erase-customer'`);
    expect(job.rows).toEqual([{ status: 'pending', attempts: 1 }]);
    expect((await request()).status).toBe('pending');
    // The numbers stay readable until the texts are gone: nothing was shredded.
    const keys = await t.db.query(`SELECT count(*)::int AS n FROM subject_keys k JOIN customers c ON c.enrollment_id = k.subject_id WHERE c.id = $1`, [customerId]);
    expect(keys.rows[0].n).toBe(1);
    expect(fake.deleted).toEqual([earlier]);
    expect(fake.messages.map((m) => m.sid)).toContain(later);

    fake.inFlight.delete(later);
    await t.db.query(`UPDATE outbox_jobs SET run_at = now() WHERE type = 'erase-customer'`);
    await t.deps.worker.drain();
    expect((await t.db.query(`SELECT status, attempts FROM outbox_jobs WHERE type = 'erase-customer'`)).rows).toEqual([{ status: 'done', attempts: 2 }]);
    expect(await request()).toMatchObject({ status: 'completed', result: { sms_messages_deleted: 2, subject_keys_shredded: 2 } });
  });

  it('the texts to the person are gone at the provider: the completed try\'s and the first try\'s old number; each deleted once', () => {
    expect(sids(PHONE)).toEqual([]);
    expect(sids(FIRST_TRY_PHONE)).toEqual([]);
    expect([...fake.deleted].sort()).toEqual([sent.own, sent.firstTry].sort());
  });

  it('another person\'s text is untouched', () => {
    expect(sids(OTHER_PHONE)).toEqual([sent.other]);
    expect(fake.deleted).not.toContain(sent.other);
  });

  it('the erasure\'s audit event counts the deleted texts, naming no number', async () => {
    const ev = await t.db.query(`SELECT data FROM audit_events WHERE action = 'customer.erased' AND subject_id = $1`, [customerId]);
    expect(ev.rows[0].data).toMatchObject({ sms_messages_deleted: 2 });
    const text = JSON.stringify(ev.rows) + (await t.db.query(`SELECT result FROM erasure_requests`)).rows.map((r) => JSON.stringify(r)).join('');
    for (const p of [PHONE, FIRST_TRY_PHONE, PHONE.slice(1), FIRST_TRY_PHONE.slice(1)]) expect(text).not.toContain(p);
    expect(t.logs.join('\n')).not.toContain(PHONE.slice(1));
  });
});
