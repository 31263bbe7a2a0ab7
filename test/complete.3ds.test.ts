import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { THREE_DS_CARDS } from '../src/gateway-sandbox/index.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { completionCounts, EXACTLY_ONE, NOTHING } from './helpers/counts.js';
import { call, enrollUpToPayment, tokenize } from './helpers/flow.js';

const APP = 'https://app.enroll.test';
// Both within the RP ID enroll.test, so WEBAUTHN_ORIGINS accepts them.
const OTHER_APP = 'https://www.enroll.test';
const GATEWAY = 'https://pay.enroll.test';

/**
 * 3-D Secure at completion, through the API (the browser side is in
 * hosted-fields.browser.test.ts): 402 with next_action, the challenge answered
 * on the gateway, then the same completion confirms one charge, or ends in
 * the final decline with the enrollment open for another card.
 */
describe('3-D Secure at completion', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ PUBLIC_URL: APP, WEBAUTHN_RP_ID: 'enroll.test', WEBAUTHN_ORIGINS: `${APP},${OTHER_APP}`, GATEWAY_PUBLIC_URL: GATEWAY });
  });
  afterAll(() => t.close());

  const complete = (id: string, headers: Record<string, string> = {}) => call(t.app, 'POST', `/v1/enrollments/${id}/complete`, undefined, headers);
  const answer = (challengeId: string, outcome: 'succeeded' | 'failed') =>
    call(t.app, 'POST', `/sandbox-gateway/v1/challenges/${challengeId}`, { outcome });

  it('answers 402 payment_authentication_required with next_action, then completes exactly once after the challenge', async () => {
    const { id } = await enrollUpToPayment(t.app, t.deps, '3ds-ok@example.com', { card: THREE_DS_CARDS.authentication_required });
    const first = await complete(id);
    expect(first.status).toBe(402);
    expect(first.body).toMatchObject({
      code: 'payment_authentication_required', decline_code: 'authentication_required', soft: true, advice: 'authenticate',
      next_action: { type: 'three_d_secure', challenge_id: expect.stringMatching(/^chl_/) },
    });
    const url = new URL(first.body.next_action.url);
    expect(url.origin).toBe(GATEWAY);
    expect(url.pathname).toBe(`/sandbox-gateway/hosted/challenge/${first.body.next_action.challenge_id}`);
    expect(Object.fromEntries(url.searchParams)).toEqual({ parent_origin: APP, locale: 'de-DE' });
    expect(await completionCounts(t.db, id)).toEqual({ ...NOTHING, charges: 0 });
    expect((await call(t.app, 'GET', `/v1/enrollments/${id}`)).body.status).toBe('payment_attached');

    // Asked again before the challenge is answered: the same challenge, still nothing charged.
    const again = await complete(id);
    expect(again.body).toMatchObject({ code: 'payment_authentication_required', next_action: { challenge_id: first.body.next_action.challenge_id } });
    expect((await answer(first.body.next_action.challenge_id, 'succeeded')).body).toMatchObject({ status: 'succeeded' });

    // Several clients (two tabs, a retry) complete at once: one charge, one of everything, the same answer.
    const done = await Promise.all([complete(id), complete(id), complete(id)]);
    expect(done.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(new Set(done.map((r) => r.body.subscription.id)).size).toBe(1);
    expect(await completionCounts(t.db, id)).toEqual(EXACTLY_ONE);
    expect((await complete(id)).status).toBe(200);
    expect((await completionCounts(t.db, id)).charges).toBe(1);
  });

  it('a challenge answered twice is refused the second time', async () => {
    const { id } = await enrollUpToPayment(t.app, t.deps, '3ds-twice@example.com', { card: THREE_DS_CARDS.authentication_required });
    const challengeId = (await complete(id)).body.next_action.challenge_id;
    expect((await answer(challengeId, 'succeeded')).status).toBe(200);
    const second = await answer(challengeId, 'failed');
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('gateway_challenge_unavailable');
    expect((await answer('chl_doesnotexist', 'succeeded')).body.code).toBe('gateway_challenge_unavailable');
  });

  it('the 4000008260003178 card: authenticated, then payment_insufficient_funds (soft), and another card completes', async () => {
    const { id } = await enrollUpToPayment(t.app, t.deps, '3ds-funds@example.com', { card: THREE_DS_CARDS.authentication_then_insufficient_funds });
    const first = await complete(id);
    expect(first.body.code).toBe('payment_authentication_required');
    await answer(first.body.next_action.challenge_id, 'succeeded');
    const declined = await complete(id);
    expect(declined.status).toBe(402);
    expect(declined.body).toMatchObject({ code: 'payment_insufficient_funds', decline_code: 'insufficient_funds', soft: true, advice: 'try_another_card' });
    expect(await completionCounts(t.db, id)).toEqual({ ...NOTHING, charges: 1 });
    const after = (await call(t.app, 'GET', `/v1/enrollments/${id}`)).body;
    expect(after).toMatchObject({ status: 'plan_selected', payment_method: null, last_decline: { decline_code: 'insufficient_funds' } });

    const token = await tokenize(t.app, '4242424242424242');
    expect((await call(t.app, 'PUT', `/v1/enrollments/${id}/payment-method`, { token })).status).toBe(200);
    const ok = await complete(id);
    expect(ok.status).toBe(200);
    // One declined charge and one captured one: the failed one was never retried under a new key.
    expect(await completionCounts(t.db, id)).toEqual({ ...EXACTLY_ONE, charges: 2 });
  });

  it('a failed challenge ends in payment_authentication_failed (hard), and the enrollment stays open for another card', async () => {
    const { id } = await enrollUpToPayment(t.app, t.deps, '3ds-fail@example.com', { card: THREE_DS_CARDS.authentication_required });
    const first = await complete(id);
    await answer(first.body.next_action.challenge_id, 'failed');
    const failed = await complete(id);
    expect(failed.status).toBe(402);
    expect(failed.body).toMatchObject({ code: 'payment_authentication_failed', decline_code: 'authentication_failed', soft: false, advice: 'try_another_card' });
    expect((await call(t.app, 'GET', `/v1/enrollments/${id}`)).body).toMatchObject({ status: 'plan_selected', payment_method: null });
    // The same 3-D Secure card, tokenized again, is a new attempt: a new challenge, which this time passes.
    const token = await tokenize(t.app, THREE_DS_CARDS.authentication_required);
    await call(t.app, 'PUT', `/v1/enrollments/${id}/payment-method`, { token });
    const retry = await complete(id);
    expect(retry.body.next_action.challenge_id).not.toBe(first.body.next_action.challenge_id);
    await answer(retry.body.next_action.challenge_id, 'succeeded');
    expect((await complete(id)).status).toBe(200);
    expect(await completionCounts(t.db, id)).toEqual({ ...EXACTLY_ONE, charges: 2 });
  });

  it('reports to the calling app origin when it is one of ours, else to PUBLIC_URL\'s', async () => {
    const { id } = await enrollUpToPayment(t.app, t.deps, '3ds-origin@example.com', { card: THREE_DS_CARDS.authentication_required });
    const parentOf = async (origin: string) => new URL((await complete(id, { origin })).body.next_action.url).searchParams.get('parent_origin');
    expect(await parentOf(OTHER_APP)).toBe(OTHER_APP);
    expect(await parentOf('https://evil.example')).toBe(APP);
  });

  it('GET /v1/config/public names the gateway origin, the RP ID, locales and currencies', async () => {
    const res = await call(t.app, 'GET', '/v1/config/public');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      gateway_origin: GATEWAY, gateway: 'sandbox', webauthn_rp_id: 'enroll.test',
      locales: ['en', 'de', 'fr', 'es', 'ja', 'pt-BR', 'ar'], currencies: expect.arrayContaining(['EUR']),
    });
  });
});
