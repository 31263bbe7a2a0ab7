import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGN_IN_LINKS_PER_HOUR } from '../src/dashboard/request-sign-in-link.js';
import { SESSION_COOKIE } from '../src/sessions/index.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { call, enrollUpToPayment } from './helpers/flow.js';

/**
 * "Email me a sign-in link": the way back in for a customer without a passkey once the welcome link is spent.
 * The answer never tells whether the address has an account; the link works once, for a limited time.
 */
describe('sign-in link by email', () => {
  let t: TestApp;
  const email = 'link-owner@example.com';
  beforeAll(async () => {
    t = await createTestApp();
    const { id } = await enrollUpToPayment(t.app, t.deps, email);
    expect((await call(t.app, 'POST', `/v1/enrollments/${id}/complete`)).status).toBe(200);
    await t.deps.worker.drain();
  });
  afterAll(() => t.close());

  const mailbox = async (to: string) => (await call(t.app, 'GET', `/dev/mailbox?to=${encodeURIComponent(to)}`)).body.messages as { subject: string; text: string }[];
  const ask = (address: string) => call(t.app, 'POST', '/v1/sessions/email-link', { email: address });
  const linkIn = (text: string) => /\/app\?token=([A-Za-z0-9_-]+)/.exec(text)?.[1];
  const requested = async () => (await t.db.query(`SELECT count(*)::int AS n FROM outbox_jobs WHERE type = 'send-sign-in-link'`)).rows[0].n as number;

  it('sends a one-time link to a known address; the link signs in once', async () => {
    const before = (await mailbox(email)).length;
    const r = await ask(' Link-Owner@Example.com ');
    expect(r.status).toBe(202);
    expect(r.body).toEqual({ status: 'accepted' });
    await t.deps.worker.drain();
    const mails = await mailbox(email);
    expect(mails).toHaveLength(before + 1);
    const token = linkIn(mails.at(-1)!.text);
    expect(token).toBeDefined();
    const first = await t.app.inject({ method: 'GET', url: `/app?token=${token}` });
    expect(first.statusCode).toBe(303);
    const cookie = first.cookies.find((c) => c.name === SESSION_COOKIE);
    expect(cookie?.value).toBeTruthy();
    const me = await t.app.inject({ method: 'GET', url: '/v1/me', cookies: { [SESSION_COOKIE]: cookie!.value } });
    expect(me.statusCode).toBe(200);
    expect(me.json().customer.email).toBe(email);
    // Spent: the same link does not sign in twice.
    const again = await t.app.inject({ method: 'GET', url: `/app?token=${token}` });
    expect(again.cookies.find((c) => c.name === SESSION_COOKIE)?.value ?? '').toBe('');
    const jobs = await t.db.query(`SELECT payload FROM outbox_jobs WHERE type = 'send-sign-in-link'`);
    expect(jobs.rows.map((j) => Object.keys(j.payload))).toEqual([['customer_id']]); // ids only: no address, no token
  });

  it('answers an unknown address and a malformed one exactly alike, and sends nothing', async () => {
    const jobs = await requested();
    const unknown = await ask('nobody-here@example.com');
    const malformed = await ask('not an address');
    for (const r of [unknown, malformed]) {
      expect(r.status).toBe(202);
      expect(r.body).toEqual({ status: 'accepted' });
    }
    await t.deps.worker.drain();
    expect(await requested()).toBe(jobs);
    expect(await mailbox('nobody-here@example.com')).toEqual([]);
  });

  it(`sends at most ${SIGN_IN_LINKS_PER_HOUR} links an hour to one address, and still answers 202`, async () => {
    const before = (await mailbox(email)).length;
    const already = await requested(); // the first test's request counts against this hour
    for (let i = 0; i < SIGN_IN_LINKS_PER_HOUR + 2; i++) expect((await ask(email)).status).toBe(202);
    await t.deps.worker.drain();
    expect(await requested()).toBe(SIGN_IN_LINKS_PER_HOUR);
    expect((await mailbox(email)).length - before).toBe(SIGN_IN_LINKS_PER_HOUR - already);
    const refused = await t.db.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'session.sign_in_link_refused'`);
    expect(refused.rows[0].n).toBe(SIGN_IN_LINKS_PER_HOUR + 2 - (SIGN_IN_LINKS_PER_HOUR - already));
  });

  it('the link expires after 30 minutes', async () => {
    const { rows } = await t.db.query(`SELECT extract(epoch FROM expires_at - created_at)::int AS s FROM dashboard_links ORDER BY created_at DESC LIMIT 1`);
    expect(rows[0].s).toBe(30 * 60);
  });
});
