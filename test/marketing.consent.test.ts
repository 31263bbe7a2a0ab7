import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { signedInCustomer } from './helpers/customer.js';
import { call } from './helpers/flow.js';
import { getJob } from '../src/jobs/index.js';
import { sendMarketingEmailHandler } from '../src/privacy/index.js';
import { withScopedDb } from '../src/db/index.js';

const ADMIN = { authorization: 'Bearer admin-test-key' };
const VERSION = '2026-11-01';

/** Issue 6 part 1: marketing jobs contact only those who currently consent. */
describe('marketing email and consent', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  // The enrollments run in de-DE: the news arrive in German.
  const newsTo = () => t.deps.mailbox!.list().filter((m) => m.subject === 'Neues bei Enroll').map((m) => m.to).sort();

  it('mails the consenting customer only: not the one who withdrew, not the one who never consented', async () => {
    const consenting = await signedInCustomer(t.app, t.deps, 'news-yes@example.com');
    const withdrawn = await signedInCustomer(t.app, t.deps, 'news-withdrawn@example.com');
    await signedInCustomer(t.app, t.deps, 'news-never@example.com'); // left marketing unticked at enrollment
    for (const c of [consenting, withdrawn]) {
      expect((await call(t.app, 'POST', `/v1/customers/${c.customerId}/consents`, { purpose: 'marketing_email', policy_version: VERSION }, c.headers)).status).toBe(201);
    }
    expect((await call(t.app, 'DELETE', `/v1/customers/${withdrawn.customerId}/consents/marketing_email`, undefined, withdrawn.headers)).status).toBe(200);

    expect((await call(t.app, 'POST', '/v1/admin/marketing-emails', { campaign: 'winter-news' })).body).toMatchObject({ status: 401, code: 'auth_required' });
    const sent = await call(t.app, 'POST', '/v1/admin/marketing-emails', { campaign: 'winter-news' }, ADMIN);
    expect(sent.status).toBe(202);
    await t.deps.worker.drain();
    expect(newsTo()).toEqual(['news-yes@example.com']);
    const mail = t.deps.mailbox!.list().find((m) => m.subject === 'Neues bei Enroll')!;
    expect(mail.text).toContain('/app'); // where to withdraw
    const job = await t.db.query(`SELECT status FROM outbox_jobs WHERE id = $1`, [sent.body.job_id]);
    expect(job.rows[0].status).toBe('done');
    // The delivery is recorded and audited against the customer, by reference.
    const audit = await t.db.query(`SELECT subject_id, data FROM audit_events WHERE action = 'notification.email_sent' AND data->>'template' = 'marketing-news'`);
    expect(audit.rows.map((r: any) => [r.subject_id, r.data.campaign])).toEqual([[consenting.customerId, 'winter-news']]);

    // At least once: the same job run again (a retry after a crash) mails no one twice.
    // As the worker runs it: in the job's system scope (deps.ts), so it sees every tenant's consenters.
    await sendMarketingEmailHandler(withScopedDb(t.deps, { system: 'job:send-marketing-email' }))((await getJob(t.deps.db, sent.body.job_id))!);
    expect(newsTo()).toEqual(['news-yes@example.com']);

    // Withdrawal takes effect for the next send.
    expect((await call(t.app, 'DELETE', `/v1/customers/${consenting.customerId}/consents/marketing_email`, undefined, consenting.headers)).status).toBe(200);
    await call(t.app, 'POST', '/v1/admin/marketing-emails', { campaign: 'spring-news' }, ADMIN);
    await t.deps.worker.drain();
    expect(newsTo()).toEqual(['news-yes@example.com']);
  });
});
