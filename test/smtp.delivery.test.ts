import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { call, profile, tokenize } from './helpers/flow.js';
import { readMessage, startSmtpSink } from './helpers/smtp-sink.js';

/** With SMTP_URL set, the same flow mails through nodemailer to a real SMTP server. */
describe('email over SMTP', () => {
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let t: TestApp;
  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await createTestApp({ SMTP_URL: `smtp://127.0.0.1:${sink.port}?ignoreTLS=true` });
    t.deps.worker.start();
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  const waitFor = async (pred: () => boolean, ms = 5000) => {
    const until = Date.now() + ms;
    while (!pred()) {
      if (Date.now() > until) throw new Error('timed out waiting for mail');
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  it('delivers the code, then the welcome email with a working dashboard link, within seconds', async () => {
    const start = await call(t.app, 'POST', '/v1/enrollments', { locale: 'de-DE' });
    const id = start.body.id;
    await call(t.app, 'PUT', `/v1/enrollments/${id}/profile`, profile('smtp@example.com'));
    const sentAt = Date.now();
    await call(t.app, 'POST', `/v1/enrollments/${id}/verification`, { channel: 'email' });
    // At-least-once delivery may repeat a message: look messages up by content, not by position.
    const texts = () => sink.received.map((m) => readMessage(m.raw).text);
    await waitFor(() => texts().some((x) => /\b\d{6}\b/.test(x)));
    expect(Date.now() - sentAt).toBeLessThan(3000);
    expect(sink.received[0].rcptTo).toEqual(['smtp@example.com']);
    const code = /\b(\d{6})\b/.exec(texts().find((x) => /\b\d{6}\b/.test(x))!)![1];
    expect((await call(t.app, 'POST', `/v1/enrollments/${id}/verification/confirm`, { code })).status).toBe(200);
    await call(t.app, 'PUT', `/v1/enrollments/${id}/plan`, { plan_id: 'starter', interval: 'year', currency: 'EUR' });
    await call(t.app, 'PUT', `/v1/enrollments/${id}/payment-method`, { token: await tokenize(t.app) });
    const done = await call(t.app, 'POST', `/v1/enrollments/${id}/complete`);
    expect(done.status).toBe(200);
    await waitFor(() => texts().some((x) => x.includes('/app?token=')));
    const link = /\/app\?token=([\w-]+)/.exec(texts().find((x) => x.includes('/app?token='))!)![1];
    expect((await t.app.inject({ method: 'GET', url: `/app?token=${link}` })).statusCode).toBe(303);
    const delivered = await t.db.query(`SELECT data->>'template' AS template FROM audit_events WHERE action = 'notification.email_sent' ORDER BY id`);
    expect(delivered.rows.map((r) => r.template)).toEqual(['verification-code', 'welcome']);
    // Nothing went to the dev mailbox: SMTP_URL replaces it.
    expect(t.deps.mailbox!.list()).toEqual([]);
  });
});
