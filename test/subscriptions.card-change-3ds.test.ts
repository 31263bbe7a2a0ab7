import { describe, expect, it } from 'vitest';
import { THREE_DS_CARDS } from '../src/gateway-sandbox/index.js';
import { useClockedTestApp } from './helpers/app.js';
import { call, tokenize } from './helpers/flow.js';
import { passkeyOwner, sessionCookie } from './helpers/passkey-owner.js';
import { createSoftAuthenticator } from './helpers/soft-authenticator.js';

const APP = 'https://app.enroll.test';
const GATEWAY = 'https://pay.enroll.test';
const MINUTE = 60_000;

/**
 * The dashboard's card change with a card that needs 3-D Secure: the customer is present, so the card's check
 * waits for the challenge (402 payment_authentication_required with next_action) instead of being refused, and
 * the same request after the challenge confirms that one check and swaps the card, once.
 */
describe('card change with 3-D Secure', () => {
  const { clock, t } = useClockedTestApp({ PUBLIC_URL: APP, WEBAUTHN_RP_ID: 'enroll.test', GATEWAY_PUBLIC_URL: GATEWAY });
  const authenticator = createSoftAuthenticator({ origin: APP, rpId: 'enroll.test' });

  async function steppedUp(o: { credentialId: string; session: Record<string, string> }) {
    const opts = await call(t.app, 'POST', '/v1/sessions/step-up/passkey/options', undefined, o.session);
    return sessionCookie(await call(t.app, 'POST', '/v1/sessions/step-up/passkey', authenticator.get(opts.body, o.credentialId), o.session));
  }
  async function owner(email: string) {
    const o = await passkeyOwner(t.app, t.deps, authenticator, email);
    return { ...o, subscriptionId: o.done.subscription.id as string, up: await steppedUp(o) };
  }
  const change = (subId: string, token: string, session: Record<string, string>) =>
    call(t.app, 'PUT', `/v1/subscriptions/${subId}/payment-method`, { token }, { ...session, origin: APP, 'accept-language': 'ja' });
  const answer = (challengeId: string, outcome: 'succeeded' | 'failed') => call(t.app, 'POST', `/sandbox-gateway/v1/challenges/${challengeId}`, { outcome });
  const cardOf = async (subId: string) => (await t.db.query(`SELECT payment_method_id FROM subscriptions WHERE id = $1`, [subId])).rows[0].payment_method_id as string;
  /** The gateway's rows for this subscription's card changes: payment methods set up, checks made. */
  const gatewayRows = async (subId: string) => ({
    methods: (await t.db.query(`SELECT count(*)::int AS n FROM gateway_payment_methods WHERE idempotency_key LIKE $1`, [`${subId}:change-payment:%`])).rows[0].n,
    checks: (await t.db.query(`SELECT status, kind, captured, decline_code FROM gateway_charges WHERE idempotency_key LIKE $1`, [`${subId}:change-payment:%`])).rows,
  });
  const audits = async (subId: string, action: string) =>
    (await t.db.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = $1 AND subject_id = $2`, [action, subId])).rows[0].n;

  it('answers 402 with the challenge, changes nothing until it is answered, then swaps the card exactly once', async () => {
    const o = await owner('3ds-change@example.com');
    const before = await cardOf(o.subscriptionId);
    const token = await tokenize(t.app, THREE_DS_CARDS.authentication_required);

    const first = await change(o.subscriptionId, token, o.up);
    expect(first.status).toBe(402);
    expect(first.body).toMatchObject({
      code: 'payment_authentication_required', decline_code: 'authentication_required', advice: 'authenticate',
      next_action: { type: 'three_d_secure', challenge_id: expect.stringMatching(/^chl_/) },
    });
    const url = new URL(first.body.next_action.url);
    expect(url.origin).toBe(GATEWAY);
    expect(Object.fromEntries(url.searchParams)).toEqual({ parent_origin: APP, locale: 'ja' });
    expect(await cardOf(o.subscriptionId)).toBe(before);
    expect(await gatewayRows(o.subscriptionId)).toEqual({ methods: 1, checks: [] });
    expect(await audits(o.subscriptionId, 'payment.authentication_requested')).toBe(1);

    // Sent again before the challenge is answered: the same challenge, still nothing changed.
    expect((await change(o.subscriptionId, token, o.up)).body.next_action.challenge_id).toBe(first.body.next_action.challenge_id);
    expect((await answer(first.body.next_action.challenge_id, 'succeeded')).status).toBe(200);

    // The same request after the challenge (twice at once: a retry, a second tab): one check, one swap, one answer.
    const done = await Promise.all([change(o.subscriptionId, token, o.up), change(o.subscriptionId, token, o.up)]);
    expect(done.map((r) => r.status)).toEqual([200, 200]);
    expect(done[1]!.body).toEqual(done[0]!.body);
    expect(done[0]!.body.payment_method).toMatchObject({ brand: 'visa', last4: '3155' });
    expect(await cardOf(o.subscriptionId)).toBe(done[0]!.body.payment_method.id);
    expect(await gatewayRows(o.subscriptionId)).toEqual({ methods: 1, checks: [{ status: 'succeeded', kind: 'authorization', captured: false, decline_code: null }] });
    expect(await audits(o.subscriptionId, 'subscription.payment_method_changed')).toBe(1);
    // A replay later answers the same and changes nothing more.
    expect((await change(o.subscriptionId, token, o.up)).body).toEqual(done[0]!.body);
    expect((await gatewayRows(o.subscriptionId)).checks).toHaveLength(1);
    // Authenticated once, the card is set up for the merchant-initiated renewals that follow.
    const pm = await t.db.query(`SELECT authenticated_at FROM gateway_payment_methods WHERE id = $1`, [done[0]!.body.payment_method.id]);
    expect(pm.rows[0].authenticated_at).not.toBeNull();
  });

  it('a failed challenge is payment_authentication_failed, and the old card stays', async () => {
    const o = await owner('3ds-change-fail@example.com');
    const before = await cardOf(o.subscriptionId);
    const token = await tokenize(t.app, THREE_DS_CARDS.authentication_required);
    const first = await change(o.subscriptionId, token, o.up);
    await answer(first.body.next_action.challenge_id, 'failed');
    const failed = await change(o.subscriptionId, token, o.up);
    expect(failed.status).toBe(402);
    expect(failed.body).toMatchObject({ code: 'payment_authentication_failed', decline_code: 'authentication_failed' });
    expect(await cardOf(o.subscriptionId)).toBe(before);
    expect(await audits(o.subscriptionId, 'subscription.payment_method_changed')).toBe(0);
  });

  it('an expired challenge is payment_authentication_expired; the card entered again gets a fresh challenge', async () => {
    const o = await owner('3ds-change-late@example.com');
    const before = await cardOf(o.subscriptionId);
    const token = await tokenize(t.app, THREE_DS_CARDS.authentication_required);
    const first = await change(o.subscriptionId, token, o.up);
    clock.advance(16 * MINUTE);
    // The step-up (five minutes) has lapsed meanwhile too: the customer proves presence again.
    const up = await steppedUp({ credentialId: o.credentialId, session: o.up });
    expect((await answer(first.body.next_action.challenge_id, 'succeeded')).body).toMatchObject({ code: 'gateway_challenge_unavailable', reason: 'expired' });
    const expired = await change(o.subscriptionId, token, up);
    expect(expired.status).toBe(402);
    expect(expired.body).toMatchObject({ code: 'payment_authentication_expired', decline_code: 'authentication_expired' });
    expect(await cardOf(o.subscriptionId)).toBe(before);

    const again = await change(o.subscriptionId, await tokenize(t.app, THREE_DS_CARDS.authentication_required), up);
    expect(again.body.code).toBe('payment_authentication_required');
    expect(again.body.next_action.challenge_id).not.toBe(first.body.next_action.challenge_id);
  });
});
