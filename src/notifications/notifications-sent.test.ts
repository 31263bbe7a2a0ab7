import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../../test/helpers/db.js';
import { createWorker, enqueueJob, getJob, type JobHandler } from '../jobs/index.js';
import { createDevMailbox, createMailboxEmailTransport, hashAddress, recordNotificationSent, renderEmail, wasNotificationSent, type EmailTransport } from './index.js';

const KEY = Buffer.alloc(32, 7);

describe('notifications_sent: idempotent delivery under at-least-once jobs', () => {
  let db: Awaited<ReturnType<typeof createTestDb>>;
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(() => db.dropAfter());

  it('records once per job and never stores the body or the address', async () => {
    expect(await wasNotificationSent(db, 'job_a')).toBe(false);
    const first = await db.transaction((tx) => recordNotificationSent(tx, { jobId: 'job_a', template: 'welcome', to: 'Ada@Example.com', providerMessageId: '<m1@x>', key: KEY }));
    const again = await db.transaction((tx) => recordNotificationSent(tx, { jobId: 'job_a', template: 'welcome', to: 'ada@example.com', providerMessageId: '<m2@x>', key: KEY }));
    expect([first, again]).toEqual([true, false]);
    expect(await wasNotificationSent(db, 'job_a')).toBe(true);
    const { rows } = await db.query(`SELECT * FROM notifications_sent WHERE job_id = 'job_a'`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ channel: 'email', template: 'welcome', to_hash: hashAddress(KEY, 'ada@example.com'), provider_message_id: '<m1@x>' });
    expect(rows[0].id).toMatch(/^msg_/);
    expect(Object.keys(rows[0]).sort()).toEqual(['channel', 'id', 'job_id', 'provider_message_id', 'sent_at', 'template', 'to_hash']);
    expect(JSON.stringify(rows[0])).not.toContain('example.com');
  });

  it('writes the audit event with the record, and only once per job', async () => {
    const audit = { action: 'notification.email_sent', actor: { type: 'system' as const }, subject: { type: 'test', id: 'job_b' }, data: { job_id: 'job_b' } };
    expect(await recordNotificationSent(db, { jobId: 'job_b', template: 'welcome', to: 'b@example.com', key: KEY, audit })).toBe(true);
    expect(await recordNotificationSent(db, { jobId: 'job_b', template: 'welcome', to: 'b@example.com', key: KEY, audit })).toBe(false);
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM audit_events WHERE subject_id = 'job_b'`);
    expect(rows[0].n).toBe(1);
  });

  it('a job retried after it already sent does not send again', async () => {
    const mailbox = createDevMailbox();
    let failNextRecord = true;
    const mailboxTransport = createMailboxEmailTransport(mailbox);
    const transport: EmailTransport = mailboxTransport;
    // The pattern a send handler follows: check, send, record.
    const handler: JobHandler = async (job) => {
      if (await wasNotificationSent(db, job.id)) return;
      const mail = renderEmail('welcome', 'de', { given_name: 'Ada', tenant_id: 'ten_1', plan_name: 'Team', dashboard_url: 'https://app.example/d' });
      const { messageId } = await transport.send({ to: job.payload.to, ...mail });
      await db.transaction((tx) => recordNotificationSent(tx, { jobId: job.id, template: 'welcome', to: job.payload.to, providerMessageId: messageId, key: KEY }));
      if (failNextRecord) {
        failNextRecord = false;
        throw new Error('crashed after recording'); // e.g. the process died before marking the job done
      }
    };
    const worker = createWorker({ db, logger: pino({ level: 'silent' }), backoff: () => 0, handlers: { 'send-welcome-email': handler } });
    const id = await db.transaction((tx) => enqueueJob(tx, 'send-welcome-email', { to: 'ada@example.com' }));
    await worker.drain();
    expect(await getJob(db, id)).toMatchObject({ status: 'done', attempts: 2 });
    expect(mailbox.list('ada@example.com')).toHaveLength(1);
  });
});
