import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { call, profile, readCode } from './helpers/flow.js';
import { startStripeFake } from './helpers/stripe-fake.js';

const SECRET = 'sk_test_enroll_flow_0123456789';

describe('the enrollment flow with Stripe as the gateway (official SDK, loopback Stripe)', () => {
  let fake: Awaited<ReturnType<typeof startStripeFake>>;
  let t: TestApp;
  let browser: Stripe;
  beforeAll(async () => {
    fake = await startStripeFake({ secretKey: SECRET });
    t = await createTestApp({ STRIPE_SECRET_KEY: SECRET, STRIPE_API_BASE: `http://127.0.0.1:${fake.port}` });
    // Stripe.js in the customer's browser: the only place a card number goes.
    browser = new Stripe(SECRET, { host: '127.0.0.1', port: fake.port, protocol: 'http', maxNetworkRetries: 0, telemetry: false });
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  it('attaches a Stripe token, completes with a PaymentIntent keyed by the enrollment, and the sandbox is not served', async () => {
    expect(t.deps.gateway.name).toBe('stripe');
    expect((await call(t.app, 'POST', '/sandbox-gateway/v1/tokens', { number: '4242424242424242', exp_month: 12, exp_year: 2031, cvc: '123' })).status).toBe(404);
    const id = (await call(t.app, 'POST', '/v1/enrollments', {})).body.id as string;
    await call(t.app, 'PUT', `/v1/enrollments/${id}/profile`, profile('stripe-flow@example.com'));
    await call(t.app, 'POST', `/v1/enrollments/${id}/verification`, { channel: 'email' });
    await call(t.app, 'POST', `/v1/enrollments/${id}/verification/confirm`, { code: await readCode(t.app, t.deps, 'stripe-flow@example.com') });
    expect((await call(t.app, 'PUT', `/v1/enrollments/${id}/plan`, { plan_id: 'starter', interval: 'month', currency: 'EUR' })).status).toBe(200);
    const token = await browser.tokens.create({ card: { number: '4242424242424242', exp_month: '12', exp_year: '2031', cvc: '123' } } as never);
    const pm = await call(t.app, 'PUT', `/v1/enrollments/${id}/payment-method`, { token: token.id });
    expect(pm.status).toBe(200);
    const done = await call(t.app, 'POST', `/v1/enrollments/${id}/complete`);
    expect(done.status).toBe(200);
    expect(done.body.subscription.status).toBe('active');
    const intent = fake.requests.find((r) => r.path === '/v1/payment_intents');
    expect(intent).toMatchObject({ idempotencyKey: expect.stringMatching(new RegExp(`^${id}:complete:v\\d+:0$`)), params: { amount: '900', currency: 'eur' } });
    const { rows } = await t.db.query(`SELECT gateway, gateway_reference FROM payments p JOIN invoices i ON i.id = p.invoice_id WHERE i.subscription_id = $1`, [done.body.subscription.id]);
    expect(rows[0]).toMatchObject({ gateway: 'stripe', gateway_reference: expect.stringMatching(/^ch_/) });
  });

  it('3-D Secure with Stripe: 402 with the client secret for Stripe.js, then one confirmation captures once', async () => {
    const email = 'stripe-3ds@example.com';
    const id = (await call(t.app, 'POST', '/v1/enrollments', {})).body.id as string;
    await call(t.app, 'PUT', `/v1/enrollments/${id}/profile`, profile(email));
    await call(t.app, 'POST', `/v1/enrollments/${id}/verification`, { channel: 'email' });
    await call(t.app, 'POST', `/v1/enrollments/${id}/verification/confirm`, { code: await readCode(t.app, t.deps, email) });
    await call(t.app, 'PUT', `/v1/enrollments/${id}/plan`, { plan_id: 'starter', interval: 'month', currency: 'EUR' });
    const token = await browser.tokens.create({ card: { number: '4000002500003155', exp_month: '12', exp_year: '2031', cvc: '123' } } as never);
    expect((await call(t.app, 'PUT', `/v1/enrollments/${id}/payment-method`, { token: token.id })).status).toBe(200);

    const first = await call(t.app, 'POST', `/v1/enrollments/${id}/complete`);
    expect(first.status).toBe(402);
    expect(first.body).toMatchObject({
      code: 'payment_authentication_required', advice: 'authenticate',
      next_action: { type: 'three_d_secure', challenge_id: expect.stringMatching(/^pi_/), client_secret: expect.stringContaining('_secret_') },
    });
    expect(first.body.next_action.url).toBeUndefined();
    const created = fake.requests.find((r) => r.path === '/v1/payment_intents' && r.idempotencyKey?.startsWith(`${id}:complete:`));
    expect(created?.params).toMatchObject({ confirmation_method: 'manual', confirm: 'true' });

    // Stripe.js finishes the challenge in the browser; then the client completes again.
    const auth = await fetch(`http://127.0.0.1:${fake.port}/test/authenticate/${first.body.next_action.challenge_id}`, {
      method: 'POST', headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'outcome=succeeded',
    });
    expect(auth.status).toBe(200);
    const done = await Promise.all([call(t.app, 'POST', `/v1/enrollments/${id}/complete`), call(t.app, 'POST', `/v1/enrollments/${id}/complete`)]);
    expect(done.map((r) => r.status)).toEqual([200, 200]);
    // One confirmation reached Stripe's books (the second caller's was replayed under the same key).
    const confirms = fake.requests.filter((r) => r.path === `/v1/payment_intents/${first.body.next_action.challenge_id}/confirm`);
    expect(new Set(confirms.map((r) => r.idempotencyKey))).toEqual(new Set([`${created!.idempotencyKey}:confirm`]));
    const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM payments p JOIN invoices i ON i.id = p.invoice_id WHERE i.subscription_id = $1`, [done[0]!.body.subscription.id]);
    expect(rows[0]).toEqual({ n: 1 });
  });
});
