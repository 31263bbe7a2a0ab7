import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/kernel/clock.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { call, tokenize } from './helpers/flow.js';
import { passkeyOwner, sessionCookie } from './helpers/passkey-owner.js';
import { createSoftAuthenticator } from './helpers/soft-authenticator.js';

const ORIGIN = 'http://localhost:3000';
const VAT = (gross: number) => Math.round((gross * 1900) / 11_900); // Germany, 19 %, prices shown inclusive

/**
 * Issue 5, "done means": one subscription's whole life on a test clock, through the
 * API and the worker only: trial → reminder → conversion → renewal → a decline →
 * dunning emails and retries → card update in the dashboard → recovery.
 */
describe('a whole subscription timeline on the test clock', () => {
  const clock = createManualClock(new Date('2027-01-10T10:00:00.000Z'));
  const authenticator = createSoftAuthenticator({ origin: ORIGIN, rpId: 'localhost' });
  let t: TestApp;
  beforeAll(async () => {
    // The sandbox's "validates, then declines" card is a hard decline (generic_decline): give the hard
    // schedule several retries so the grace period has steps to see.
    t = await createTestApp({ PUBLIC_URL: ORIGIN, RATE_LIMIT_PER_MINUTE: '0', DUNNING_HARD_RETRY_DAYS: '1,3,7' }, { clock });
  });
  afterAll(() => t.close());

  const at = async (iso: string) => {
    clock.set(new Date(iso));
    await t.deps.worker.drain();
  };
  const sub = async (id: string) => {
    const r = (await t.db.query(`SELECT status, current_period_start, current_period_end FROM subscriptions WHERE id = $1`, [id])).rows[0];
    return { status: r.status, start: new Date(r.current_period_start).toISOString(), end: new Date(r.current_period_end).toISOString() };
  };
  const invoices = async (id: string) =>
    (await t.db.query(`SELECT total, subtotal, tax_amount, status, period_start FROM invoices WHERE subscription_id = $1 ORDER BY created_at, number`, [id])).rows.map((r) => ({
      total: Number(r.total), net: Number(r.subtotal), tax: Number(r.tax_amount), status: r.status, from: new Date(r.period_start).toISOString().slice(0, 10),
    }));
  const paid = (gross: number, from: string) => ({ total: gross, net: gross - VAT(gross), tax: VAT(gross), status: 'paid', from });
  const emails = async () => (await t.db.query(`SELECT template FROM notifications_sent ORDER BY sent_at, id`)).rows.map((r) => r.template as string);
  const dunning = async (id: string) => (await t.db.query(`SELECT status, attempts, soft FROM dunning_cases WHERE subscription_id = $1`, [id])).rows;
  /** The owner signs in with the passkey and steps up, then replaces the card in the dashboard. */
  async function updateCard(credentialId: string, subId: string, card: string) {
    const so = await call(t.app, 'POST', '/v1/sessions/passkey/options');
    const session = sessionCookie(await call(t.app, 'POST', '/v1/sessions/passkey', authenticator.get(so.body, credentialId)));
    const opts = await call(t.app, 'POST', '/v1/sessions/step-up/passkey/options', undefined, session);
    const up = sessionCookie(await call(t.app, 'POST', '/v1/sessions/step-up/passkey', authenticator.get(opts.body, credentialId), session));
    const changed = await call(t.app, 'PUT', `/v1/subscriptions/${subId}/payment-method`, { token: await tokenize(t.app, card) }, up);
    expect(changed.status).toBe(200);
  }

  it('trial, reminder, conversion, renewal, decline, dunning, card update, recovery', async () => {
    // Jan 10: a 14-day trial of Business (its trial asks for a card), on the card 4242.
    const o = await passkeyOwner(t.app, t.deps, authenticator, 'timeline@example.com', { plan: 'business' });
    const id = o.done.subscription.id as string;
    expect(await sub(id)).toEqual({ status: 'trialing', start: '2027-01-10T10:00:00.000Z', end: '2027-01-24T10:00:00.000Z' });
    await t.deps.worker.drain();
    expect(await invoices(id)).toEqual([{ total: 0, net: 0, tax: 0, status: 'paid', from: '2027-01-10' }]);
    expect(await emails()).toEqual(['verification-code', 'welcome']);

    // Jan 21, three days before the end: the reminder, nothing charged.
    await at('2027-01-20T10:00:00.000Z');
    expect(await emails()).not.toContain('trial-ending');
    await at('2027-01-21T10:01:00.000Z');
    expect((await emails()).slice(2)).toEqual(['trial-ending']);
    expect((await sub(id)).status).toBe('trialing');
    expect(await invoices(id)).toHaveLength(1);

    // Jan 24: the trial converts; the first paid period is anchored on the trial's end.
    await at('2027-01-24T10:01:00.000Z');
    expect(await sub(id)).toEqual({ status: 'active', start: '2027-01-24T10:00:00.000Z', end: '2027-02-24T10:00:00.000Z' });
    expect((await invoices(id)).slice(1)).toEqual([paid(4900, '2027-01-24')]);

    // Feb 24: renewal on the anchor.
    await at('2027-02-24T10:01:00.000Z');
    expect(await sub(id)).toEqual({ status: 'active', start: '2027-02-24T10:00:00.000Z', end: '2027-03-24T10:00:00.000Z' });
    expect((await invoices(id)).slice(2)).toEqual([paid(4900, '2027-02-24')]);

    // Mar 1: the customer switches to a card that validates but whose charges are later declined.
    await at('2027-03-01T09:00:00.000Z');
    await updateCard(o.credentialId, id, '4000000000000341');

    // Mar 24: the renewal is declined: past_due (access kept), a dunning case, the first email.
    await at('2027-03-24T10:01:00.000Z');
    expect(await sub(id)).toEqual({ status: 'past_due', start: '2027-02-24T10:00:00.000Z', end: '2027-03-24T10:00:00.000Z' });
    expect(await dunning(id)).toEqual([{ status: 'open', attempts: 1, soft: false }]);
    expect((await emails()).slice(3)).toEqual(['payment-failed']);
    expect(await invoices(id)).toHaveLength(3);

    // Days 1 and 3: retries fail, each with its email; still past_due.
    await at('2027-03-25T10:02:00.000Z');
    expect(await dunning(id)).toEqual([{ status: 'open', attempts: 2, soft: false }]);
    await at('2027-03-27T10:02:00.000Z');
    expect(await dunning(id)).toEqual([{ status: 'open', attempts: 3, soft: false }]);
    expect((await sub(id)).status).toBe('past_due');
    expect((await emails()).slice(3)).toEqual(['payment-failed', 'payment-failed', 'payment-failed']);

    // Mar 28: a good card through the dashboard is charged at once: active again in the next anchored period.
    await at('2027-03-28T12:00:00.000Z');
    await updateCard(o.credentialId, id, '4242424242424242');
    await t.deps.worker.drain();
    expect(await sub(id)).toEqual({ status: 'active', start: '2027-03-24T10:00:00.000Z', end: '2027-04-24T10:00:00.000Z' });
    expect(await dunning(id)).toEqual([{ status: 'recovered', attempts: 4, soft: false }]);
    expect((await invoices(id)).slice(3)).toEqual([paid(4900, '2027-03-24')]);
    // The day-7 retry, still queued, finds the case closed: nothing more is charged or sent.
    await at('2027-03-31T10:02:00.000Z');
    expect(await invoices(id)).toHaveLength(4);
    expect((await emails()).slice(3)).toEqual(['payment-failed', 'payment-failed', 'payment-failed']);

    // Apr 24: it renews as usual.
    await at('2027-04-24T10:01:00.000Z');
    expect(await sub(id)).toEqual({ status: 'active', start: '2027-04-24T10:00:00.000Z', end: '2027-05-24T10:00:00.000Z' });
    expect((await invoices(id)).slice(4)).toEqual([paid(4900, '2027-04-24')]);
  });
});
