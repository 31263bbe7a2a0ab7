import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hmac } from '../src/kernel/crypto.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { call, enrollUpToPayment } from './helpers/flow.js';

/**
 * The welcome job reads in one transaction and mints its one-time link with that transaction's COMMIT: the link
 * must exist when the email carrying it leaves, and a redelivered job (at-least-once) sends nothing and mints nothing.
 */
describe('send-welcome-email', () => {
  let t: TestApp;
  /** What each welcome email's link was when the email left: minted (committed) or not. */
  const linkAtSend: { token: string; committed: boolean }[] = [];
  beforeAll(async () => {
    t = await createTestApp();
    const transport = t.deps.email;
    t.deps.email = {
      async send(msg) {
        const token = /\/app\?token=([\w-]+)/.exec(msg.text)?.[1];
        if (token) {
          // Seen from another connection: only a committed row is visible there.
          const { rows } = await t.db.query('SELECT 1 FROM dashboard_links WHERE token_hash = $1', [hmac(t.deps.keys.links, token)]);
          linkAtSend.push({ token, committed: rows.length === 1 });
        }
        return transport.send(msg);
      },
    };
  });
  afterAll(() => t.close());

  it('mints the link before the email leaves, records the delivery with its audit row, and a redelivered job sends nothing', async () => {
    const { id } = await enrollUpToPayment(t.app, t.deps, 'welcome-once@example.com');
    const done = await call(t.app, 'POST', `/v1/enrollments/${id}/complete`);
    expect(done.status).toBe(200);
    const customerId = done.body.customer_id as string;
    await t.deps.worker.drain();

    expect(linkAtSend).toEqual([{ token: expect.any(String), committed: true }]);
    const [job] = (await t.db.query(`SELECT id, status FROM outbox_jobs WHERE type = 'send-welcome-email' AND payload->>'customer_id' = $1`, [customerId])).rows;
    expect(job).toMatchObject({ status: 'done' });
    const sent = await t.db.query(`SELECT template FROM notifications_sent WHERE job_id = $1`, [job!.id]);
    expect(sent.rows).toEqual([{ template: 'welcome' }]);
    const audited = await t.db.query(`SELECT 1 FROM audit_events WHERE action = 'notification.email_sent' AND data->>'job_id' = $1`, [job!.id]);
    expect(audited.rows).toHaveLength(1);
    const links = async () => (await t.db.query(`SELECT count(*)::int AS n FROM dashboard_links WHERE customer_id = $1`, [customerId])).rows[0]!.n;
    expect(await links()).toBe(1);

    // Delivered again (a worker died after sending, before settling): the record stops it.
    await t.db.query(`UPDATE outbox_jobs SET status = 'pending', run_at = now() - interval '1 second' WHERE id = $1`, [job!.id]);
    expect(await t.deps.worker.drain()).toBe(1);
    expect(linkAtSend).toHaveLength(1);
    expect(await links()).toBe(1);
    expect((await t.db.query(`SELECT 1 FROM audit_events WHERE action = 'notification.email_sent' AND data->>'job_id' = $1`, [job!.id])).rows).toHaveLength(1);
    expect((await t.db.query(`SELECT status FROM outbox_jobs WHERE id = $1`, [job!.id])).rows[0]).toEqual({ status: 'done' });

    // The link works: the one in the email signs in.
    expect((await t.app.inject({ method: 'GET', url: `/app?token=${linkAtSend[0]!.token}` })).statusCode).toBe(303);
  });
});
