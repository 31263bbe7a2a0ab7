import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/kernel/clock.js';
import { ensureGatewayCustomer } from '../src/payments/index.js';
import { changePaymentMethod } from '../src/subscriptions/index.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { call, profile, readCode } from './helpers/flow.js';
import { startStripeFake } from './helpers/stripe-fake.js';

const SECRET = 'sk_test_enroll_customers_0123456789';
const DAY = 86_400_000;

/** Issue 5 part 2: one Enroll customer ↔ one Stripe customer per tenant; saved cards reused off-session. */
describe('Stripe customers and saved cards (loopback Stripe)', () => {
  const clock = createManualClock(new Date('2027-01-10T09:00:00.000Z'));
  let fake: Awaited<ReturnType<typeof startStripeFake>>;
  let t: TestApp;
  let browser: Stripe;
  beforeAll(async () => {
    fake = await startStripeFake({ secretKey: SECRET });
    t = await createTestApp({ STRIPE_SECRET_KEY: SECRET, STRIPE_API_BASE: `http://127.0.0.1:${fake.port}` }, { clock });
    browser = new Stripe(SECRET, { host: '127.0.0.1', port: fake.port, protocol: 'http', maxNetworkRetries: 0, telemetry: false });
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  const token = async (number = '4242424242424242') => (await browser.tokens.create({ card: { number, exp_month: '12', exp_year: '2031', cvc: '123' } } as never)).id;
  const mapping = async (subId: string) =>
    (await t.db.query(`SELECT pc.gateway_customer_id FROM payment_customers pc JOIN subscriptions s ON s.tenant_id = pc.tenant_id AND s.customer_id = pc.customer_id WHERE s.id = $1`, [subId])).rows;
  const offSession = (customer: string) => fake.requests.filter((r) => r.path === '/v1/payment_intents' && r.params.customer === customer && r.params.off_session === 'true');

  async function trialing(email: string) {
    const id = (await call(t.app, 'POST', '/v1/enrollments', {})).body.id as string;
    await call(t.app, 'PUT', `/v1/enrollments/${id}/profile`, profile(email));
    await call(t.app, 'POST', `/v1/enrollments/${id}/verification`, { channel: 'email' });
    await call(t.app, 'POST', `/v1/enrollments/${id}/verification/confirm`, { code: await readCode(t.app, t.deps, email) });
    expect((await call(t.app, 'PUT', `/v1/enrollments/${id}/plan`, { plan_id: 'pro', interval: 'month', currency: 'EUR' })).status).toBe(200);
    // A first card, then the customer changes their mind: both are saved on the enrollment's one Stripe customer.
    expect((await call(t.app, 'PUT', `/v1/enrollments/${id}/payment-method`, { token: await token('5555555555554444') })).status).toBe(200);
    const pm = await call(t.app, 'PUT', `/v1/enrollments/${id}/payment-method`, { token: await token() });
    expect(pm.status).toBe(200);
    const done = await call(t.app, 'POST', `/v1/enrollments/${id}/complete`);
    expect(done.body.subscription.status).toBe('trialing');
    return { enrollment: id, sub: done.body.subscription.id as string, customer: done.body.customer_id as string, pm: pm.body.payment_method.id as string };
  }

  it('saves the card on one Stripe customer at enrollment, then converts and renews off-session on it', async () => {
    const s = await trialing('stripe-customer@example.com');
    expect(fake.customers.size).toBe(1);
    const [m] = await mapping(s.sub);
    expect(m.gateway_customer_id).toMatch(/^cus_/);
    expect(fake.customerOf(s.pm)).toBe(m.gateway_customer_id);
    const created = fake.requests.filter((r) => r.path === '/v1/customers');
    expect(new Set(created.map((r) => r.idempotencyKey))).toEqual(new Set([`${s.enrollment}:gateway-customer`]));
    // The trial's authorisation (on-session, the customer is there) already ran on the customer.
    const auth = fake.requests.find((r) => r.path === '/v1/payment_intents' && r.params.payment_method === s.pm);
    expect(auth?.params).toMatchObject({ customer: m.gateway_customer_id, capture_method: 'manual' });
    expect(auth?.params.off_session).toBeUndefined();

    clock.advance(14 * DAY + 60_000);
    await t.deps.worker.drain();
    clock.advance(31 * DAY + 60_000);
    await t.deps.worker.drain();
    const sub = (await t.db.query(`SELECT status FROM subscriptions WHERE id = $1`, [s.sub])).rows[0];
    expect(sub.status).toBe('active');
    const charged = offSession(m.gateway_customer_id);
    expect(charged.map((r) => [r.idempotencyKey?.split(':').slice(1, 2)[0], r.params.off_session, r.params.payment_method])).toEqual([
      ['trial-convert', 'true', s.pm],
      ['renew', 'true', s.pm],
    ]);
    expect(await mapping(s.sub)).toHaveLength(1);
  });

  it('a card updated later is saved on the same Stripe customer and charged there', async () => {
    const s = await trialing('stripe-customer-2@example.com');
    const [m] = await mapping(s.sub);
    const changed = await changePaymentMethod(t.deps, { subscriptionId: s.sub, customerId: s.customer, token: await token('5555555555554444'), now: clock.now() });
    expect(fake.customerOf(changed.payment_method.id)).toBe(m.gateway_customer_id);
    clock.advance(14 * DAY + 60_000);
    await t.deps.worker.drain();
    expect(offSession(m.gateway_customer_id).map((r) => r.params.payment_method)).toEqual([changed.payment_method.id]);
    expect(await mapping(s.sub)).toHaveLength(1);
  });

  it('a subscription without a mapping gets one Stripe customer on first need, whatever the race', async () => {
    const s = await trialing('stripe-customer-3@example.com');
    const tenant = (await t.db.query(`SELECT tenant_id FROM subscriptions WHERE id = $1`, [s.sub])).rows[0].tenant_id as string;
    await t.db.query(`DELETE FROM payment_customers WHERE tenant_id = $1`, [tenant]);
    const before = fake.customers.size;
    const ids = await Promise.all(Array.from({ length: 6 }, () => ensureGatewayCustomer(t.deps, { tenantId: tenant, customerId: s.customer, now: clock.now() })));
    expect(new Set(ids).size).toBe(1);
    expect(fake.customers.size).toBe(before + 1);
    expect(await mapping(s.sub)).toEqual([{ gateway_customer_id: ids[0] }]);
  });
});
