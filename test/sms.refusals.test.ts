import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { call, profile } from './helpers/flow.js';
import { startTwilioFake } from './helpers/twilio-fake.js';

/** Twilio's permanent refusals end the job at once (dead letter) and are audited; other failures are retried. */
describe('Twilio refusals in the SMS code job', () => {
  const ACCOUNT_SID = 'AC' + 'c3'.repeat(16);
  const AUTH_TOKEN = 'twilio-refusal-auth-token-0123456';
  const REFUSING = { '+4915100021211': 21211, '+4915100021610': 21610, '+4915100021408': 21408, '+4915100030001': 30001 };
  let fake: Awaited<ReturnType<typeof startTwilioFake>>;
  let t: TestApp;
  beforeAll(async () => {
    fake = await startTwilioFake({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, refuse: REFUSING });
    t = await createTestApp({ TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN, TWILIO_FROM: '+15005550006', TWILIO_BASE_URL: fake.baseUrl });
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  let n = 0;
  async function sendTo(phone: string) {
    const id = (await call(t.app, 'POST', '/v1/enrollments', {})).body.id as string;
    expect((await call(t.app, 'PUT', `/v1/enrollments/${id}/profile`, profile(`refused-${n++}@example.com`, { phone }))).status).toBe(200);
    expect((await call(t.app, 'POST', `/v1/enrollments/${id}/verification`, { channel: 'sms' })).status).toBe(202);
    await t.deps.worker.drain();
    const job = await t.db.query(`SELECT status, attempts, last_error FROM outbox_jobs WHERE type = 'send-verification-sms' AND payload->>'enrollment_id' = $1`, [id]);
    const audit = await t.db.query(`SELECT data FROM audit_events WHERE subject_id = $1 AND action = 'notification.sms_refused'`, [id]);
    return { job: job.rows[0], refusals: audit.rows.map((r) => r.data) };
  }

  it.each([
    ['+4915100021211', 21211, 'invalid_number'],
    ['+4915100021610', 21610, 'unsubscribed'],
    ['+4915100021408', 21408, 'region_not_permitted'],
  ])('%s (Twilio %i) is dead-lettered after one attempt and audited as %s', async (phone, _code, reason) => {
    const { job, refusals } = await sendTo(phone);
    expect(job).toMatchObject({ status: 'dead', attempts: 1 });
    expect(job.last_error).toMatch(/^job_failed_permanently: /);
    expect(refusals).toEqual([{ template: 'verification-code', job_id: expect.stringMatching(/^job_/), reason }]);
    // The audit row names neither the number nor the code.
    expect(JSON.stringify(refusals)).not.toContain(phone);
  });

  it('a failure that is not a refusal (Twilio 30001, queue overflow) is retried, not dead-lettered, and not audited as refused', async () => {
    const { job, refusals } = await sendTo('+4915100030001');
    // Pending = scheduled for another attempt. How many attempts drain() saw depends on the backoff's random
    // jitter (the first retry may be due within milliseconds), so only the kind of failure is asserted.
    expect(job.status).toBe('pending');
    expect(job.attempts).toBeGreaterThanOrEqual(1);
    expect(job.last_error).not.toMatch(/job_failed_permanently/);
    expect(refusals).toEqual([]);
  });
});
