import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { startStripeFake } from '../../../test/helpers/stripe-fake.js';
import { TEST_CARDS, THREE_DS_CARDS } from '../../gateway-sandbox/index.js';
import { createManualClock } from '../../kernel/clock.js';
import { paymentGatewayContract, type TestCardScenario } from '../gateway.contract.js';
import { createStripePaymentGateway } from './stripe.js';

// Stripe's documented test numbers: the same table the sandbox uses.
const NUMBERS: Record<TestCardScenario, string> = { ...TEST_CARDS, ...THREE_DS_CARDS };
const SECRET = 'sk_test_enroll_contract_0123456789';

paymentGatewayContract('stripe (official SDK against a loopback Stripe)', async () => {
  // Stripe's clock (the intents' `created`) and the adapter's, moved together.
  const clock = createManualClock();
  const fake = await startStripeFake({ secretKey: SECRET, clock });
  const where = { host: '127.0.0.1', port: fake.port, protocol: 'http' as const };
  // The harness plays Stripe.js in the browser: only it sees a card number, never the adapter.
  const browser = new Stripe(SECRET, { ...where, maxNetworkRetries: 0, telemetry: false });
  return {
    gateway: createStripePaymentGateway({ secretKey: SECRET, ...where, clock }),
    tokenFor: async (scenario) => (await browser.tokens.create({ card: { number: NUMBERS[scenario], exp_month: '12', exp_year: String(new Date().getUTCFullYear() + 3), cvc: '123' } } as never)).id,
    // Stripe.js finishing the challenge in the browser; the fake's test-only endpoint stands in for it.
    authenticate: async (challengeId, outcome) => {
      const res = await fetch(`http://127.0.0.1:${fake.port}/test/authenticate/${challengeId}`, {
        method: 'POST', headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'application/x-www-form-urlencoded' }, body: `outcome=${outcome}`,
      });
      if (!res.ok) throw new Error(`authenticate ${challengeId}: ${res.status}`);
    },
    advanceClock: (ms) => clock.advance(ms),
    close: fake.close,
  };
});

describe('stripe adapter on the wire', () => {
  it('sends every call with the caller\'s idempotency key, form-encoded, and never a card number', async () => {
    const fake = await startStripeFake({ secretKey: SECRET });
    try {
      const gw = createStripePaymentGateway({ secretKey: SECRET, host: '127.0.0.1', port: fake.port, protocol: 'http' });
      const browser = new Stripe(SECRET, { host: '127.0.0.1', port: fake.port, protocol: 'http', maxNetworkRetries: 0, telemetry: false });
      const token = (await browser.tokens.create({ card: { number: NUMBERS.success, exp_month: '12', exp_year: '2031', cvc: '123' } } as never)).id;
      const seen = fake.requests.length;
      const pm = await gw.createPaymentMethod({ token, idempotencyKey: 'enr_1:attach-payment:abc' });
      await gw.charge({ paymentMethodId: pm.id, amount: 1900, currency: 'EUR', capture: true, idempotencyKey: 'enr_1:complete:v5:0' });
      const calls = fake.requests.slice(seen);
      expect(calls.map((c) => [c.path, c.idempotencyKey])).toEqual([
        ['/v1/payment_methods', 'enr_1:attach-payment:abc'],
        ['/v1/payment_intents', 'enr_1:complete:v5:0'],
      ]);
      expect(calls[1]!.params).toMatchObject({ amount: '1900', currency: 'eur', payment_method: pm.id, confirm: 'true', capture_method: 'automatic' });
      expect(JSON.stringify(calls)).not.toContain('4242424242424242');
    } finally {
      await fake.close();
    }
  });

  it('a PaymentIntent that needs 3-D Secure is not a success: declined with authentication_required', async () => {
    const fake = await startStripeFake({ secretKey: SECRET });
    try {
      const gw = createStripePaymentGateway({ secretKey: SECRET, host: '127.0.0.1', port: fake.port, protocol: 'http' });
      const browser = new Stripe(SECRET, { host: '127.0.0.1', port: fake.port, protocol: 'http', maxNetworkRetries: 0, telemetry: false });
      const token = (await browser.tokens.create({ card: { number: '4000002500003155', exp_month: '12', exp_year: '2031', cvc: '123' } } as never)).id;
      const pm = await gw.createPaymentMethod({ token, idempotencyKey: 'pm-3ds' });
      for (const capture of [true, false]) {
        const r = await gw.charge({ paymentMethodId: pm.id, amount: 1900, currency: 'EUR', capture, idempotencyKey: `ch-3ds-${capture}` });
        expect(r).toMatchObject({ status: 'declined', declineCode: 'authentication_required' });
      }
      const zero = await gw.charge({ paymentMethodId: pm.id, amount: 0, currency: 'EUR', capture: false, idempotencyKey: 'si-3ds' });
      expect(zero).toMatchObject({ status: 'declined', declineCode: 'authentication_required' });
    } finally {
      await fake.close();
    }
  });

  it('turns a wrong key or an unreachable Stripe into payment_gateway_unavailable', async () => {
    const fake = await startStripeFake({ secretKey: SECRET });
    const wrongKey = createStripePaymentGateway({ secretKey: 'sk_test_wrong', host: '127.0.0.1', port: fake.port, protocol: 'http' });
    await expect(wrongKey.refund({ chargeId: 'ch_x', idempotencyKey: 'k1' })).rejects.toMatchObject({ code: 'payment_gateway_unavailable' });
    await fake.close();
    const down = createStripePaymentGateway({ secretKey: SECRET, host: '127.0.0.1', port: fake.port, protocol: 'http' });
    await expect(down.charge({ paymentMethodId: 'pm_x', amount: 1, currency: 'EUR', capture: true, idempotencyKey: 'k2' })).rejects.toMatchObject({ code: 'payment_gateway_unavailable' });
  });
});
