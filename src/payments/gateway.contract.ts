import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaymentGateway } from './gateway.js';

/** Card behaviours every adapter can produce in test mode (Stripe test cards/tokens, sandbox numbers). */
export type TestCardScenario =
  | 'success'
  | 'generic_decline'
  | 'insufficient_funds'
  | 'expired_card'
  | 'incorrect_cvc'
  | 'processing_error'
  /** 3-D Secure: the cardholder must authenticate a customer-present payment; then it succeeds. */
  | 'authentication_required'
  /** 3-D Secure every time; once authenticated, declined for insufficient funds. */
  | 'authentication_then_insufficient_funds';

export interface GatewayContractHarness {
  gateway: PaymentGateway;
  /** A fresh single-use token for a card that behaves as `scenario` at charge time. Same scenario, same card number. */
  tokenFor(scenario: TestCardScenario): Promise<string>;
  /** Play the cardholder on the gateway's challenge (sandbox: its challenge page's answer; Stripe: Stripe.js). */
  authenticate(challengeId: string, outcome: 'succeeded' | 'failed'): Promise<void>;
  /** Move the clocks the adapter and its gateway judge a challenge's deadline by (default deadline: 15 minutes). */
  advanceClock(ms: number): void;
  close?(): Promise<void>;
}

const DECLINES = ['generic_decline', 'insufficient_funds', 'expired_card', 'incorrect_cvc', 'processing_error'] as const;

/**
 * The PaymentGateway contract: one suite, every adapter. Call it from an
 * adapter's test file with a harness factory. Keys are unique per run, since
 * a real gateway remembers idempotency keys for a day.
 */
export function paymentGatewayContract(name: string, setup: () => Promise<GatewayContractHarness>): void {
  describe(`PaymentGateway contract: ${name}`, () => {
    let h: GatewayContractHarness;
    let gw: PaymentGateway;
    const run = randomUUID();
    let n = 0;
    const key = (label: string) => `contract:${run}:${label}:${n++}`;
    const newPm = async (scenario: TestCardScenario = 'success') =>
      gw.createPaymentMethod({ token: await h.tokenFor(scenario), idempotencyKey: key('pm') });

    beforeAll(async () => {
      h = await setup();
      gw = h.gateway;
    });
    afterAll(async () => {
      await h?.close?.();
    });

    it('has a name', () => {
      expect(gw.name).toMatch(/^[a-z][a-z0-9_-]*$/);
    });

    describe('createPaymentMethod', () => {
      it('turns a token into a payment method with a card summary, never a PAN', async () => {
        const pm = await newPm();
        expect(pm.id).toMatch(/^pm_/);
        expect(pm.card).toEqual({
          brand: 'visa',
          last4: '4242',
          exp_month: expect.any(Number),
          exp_year: expect.any(Number),
          fingerprint: expect.stringMatching(/^[A-Za-z0-9_-]{8,64}$/),
          // Optional at the port; when given, an ISO 3166 alpha-2 code (Stripe's test cards are US-issued).
          ...(pm.card.country !== undefined ? { country: 'US' } : {}),
        });
        expect(JSON.stringify(pm)).not.toContain('424242424242');
      });

      it('returns the same payment method for the same idempotency key', async () => {
        const token = await h.tokenFor('success');
        const k = key('pm-replay');
        const first = await gw.createPaymentMethod({ token, idempotencyKey: k });
        const again = await gw.createPaymentMethod({ token, idempotencyKey: k });
        expect(again).toEqual(first);
      });

      it('refuses a token used once already, and an unknown token', async () => {
        const token = await h.tokenFor('success');
        await gw.createPaymentMethod({ token, idempotencyKey: key('pm-once') });
        await expect(gw.createPaymentMethod({ token, idempotencyKey: key('pm-twice') })).rejects.toMatchObject({ code: 'payment_method_invalid' });
        await expect(gw.createPaymentMethod({ token: 'tok_doesnotexist', idempotencyKey: key('pm-unknown') })).rejects.toMatchObject({
          code: 'payment_method_invalid',
        });
      });

      it('gives the same card the same fingerprint, and another card another one', async () => {
        const [a, b, c] = await Promise.all([newPm('success'), newPm('success'), newPm('generic_decline')]);
        expect(a.id).not.toBe(b.id);
        expect(a.card.fingerprint).toBe(b.card.fingerprint);
        expect(c.card.fingerprint).not.toBe(a.card.fingerprint);
      });
    });

    describe('charge', () => {
      it('captures a charge on a good card', async () => {
        const pm = await newPm();
        const r = await gw.charge({ paymentMethodId: pm.id, amount: 1999, currency: 'EUR', idempotencyKey: key('ch'), capture: true });
        expect(r).toMatchObject({ status: 'succeeded', kind: 'charge', amount: 1999, currency: 'EUR' });
        expect(r.id).toMatch(/^ch_/);
      });

      it('handles zero-decimal currencies in minor units as given', async () => {
        const pm = await newPm();
        const r = await gw.charge({ paymentMethodId: pm.id, amount: 1500, currency: 'JPY', idempotencyKey: key('ch-jpy'), capture: true });
        expect(r).toMatchObject({ status: 'succeeded', amount: 1500, currency: 'JPY' });
      });

      it.each(DECLINES)('declines the %s test card with that decline code', async (scenario) => {
        const pm = await newPm(scenario);
        const r = await gw.charge({ paymentMethodId: pm.id, amount: 500, currency: 'USD', idempotencyKey: key('ch-decl'), capture: true });
        expect(r).toMatchObject({ status: 'declined', declineCode: scenario, amount: 500, currency: 'USD' });
      });

      it('validates a card with a zero-amount authorisation (capture:false)', async () => {
        const pm = await newPm();
        const r = await gw.charge({ paymentMethodId: pm.id, amount: 0, currency: 'EUR', idempotencyKey: key('auth'), capture: false });
        expect(r).toMatchObject({ status: 'succeeded', kind: 'authorization', amount: 0 });
      });

      it.each(DECLINES)('a zero-amount validation of the %s card is declined the same way', async (scenario) => {
        const pm = await newPm(scenario);
        const r = await gw.charge({ paymentMethodId: pm.id, amount: 0, currency: 'EUR', idempotencyKey: key('auth-decl'), capture: false });
        expect(r).toMatchObject({ status: 'declined', declineCode: scenario });
      });

      it('replays the same result for the same key, also under 20 concurrent calls', async () => {
        const pm = await newPm();
        const input = { paymentMethodId: pm.id, amount: 4200, currency: 'EUR', idempotencyKey: key('ch-conc'), capture: true };
        const results = await Promise.all(Array.from({ length: 20 }, () => gw.charge(input)));
        expect(new Set(results.map((r) => r.id)).size).toBe(1);
        expect(await gw.charge(input)).toEqual(results[0]);
      });

      it('replays a decline for the same key too', async () => {
        const pm = await newPm('insufficient_funds');
        const input = { paymentMethodId: pm.id, amount: 700, currency: 'EUR', idempotencyKey: key('ch-decl-replay'), capture: true };
        const first = await gw.charge(input);
        expect(await gw.charge(input)).toEqual(first);
      });

      it('refuses a reused key with another amount, currency, payment method or capture mode', async () => {
        const pm = await newPm();
        const other = await newPm();
        const base = { paymentMethodId: pm.id, amount: 1000, currency: 'EUR', idempotencyKey: key('ch-mismatch'), capture: true };
        await gw.charge(base);
        for (const changed of [{ amount: 1001 }, { currency: 'USD' }, { paymentMethodId: other.id }, { capture: false }]) {
          await expect(gw.charge({ ...base, ...changed })).rejects.toMatchObject({ code: 'payment_idempotency_mismatch' });
        }
      });

      it('refuses an unknown payment method', async () => {
        await expect(
          gw.charge({ paymentMethodId: 'pm_doesnotexist', amount: 100, currency: 'EUR', idempotencyKey: key('ch-unknown'), capture: true }),
        ).rejects.toMatchObject({ code: 'payment_method_invalid' });
      });
    });

    describe('customers and saved methods', () => {
      const saved = async (scenario: TestCardScenario = 'success') => {
        const customer = await gw.createCustomer({ reference: `cus_${run}_${n}`, idempotencyKey: key('cus') });
        const pm = await newPm(scenario);
        await gw.attachPaymentMethod({ paymentMethodId: pm.id, customerId: customer.id, idempotencyKey: key('attach') });
        return { customer, pm };
      };
      const offSession = (pm: string, customerId: string | undefined, label: string) =>
        gw.charge({ paymentMethodId: pm, customerId, offSession: true, amount: 1200, currency: 'EUR', capture: true, idempotencyKey: key(label) });

      it('creates a customer, the same one again for the same key (races settle to one)', async () => {
        const k = key('cus-replay');
        const all = await Promise.all(Array.from({ length: 5 }, () => gw.createCustomer({ reference: 'ref_1', idempotencyKey: k })));
        expect(new Set(all.map((c) => c.id)).size).toBe(1);
        expect(all[0]!.id).toMatch(/^cus_/);
        const other = await gw.createCustomer({ reference: 'ref_2', idempotencyKey: key('cus-other') });
        expect(other.id).not.toBe(all[0]!.id);
      });

      it('charges a saved method off-session on its customer, again and again', async () => {
        const { customer, pm } = await saved();
        for (const label of ['renew-1', 'renew-2']) {
          expect(await offSession(pm.id, customer.id, label)).toMatchObject({ status: 'succeeded', kind: 'charge', amount: 1200 });
        }
        const auth = await gw.charge({ paymentMethodId: pm.id, customerId: customer.id, amount: 0, currency: 'EUR', capture: false, idempotencyKey: key('auth-saved') });
        expect(auth).toMatchObject({ status: 'succeeded', kind: 'authorization' });
      });

      it('attaching to the same customer again is a no-op; to another customer is refused', async () => {
        const { customer, pm } = await saved();
        expect(await gw.attachPaymentMethod({ paymentMethodId: pm.id, customerId: customer.id, idempotencyKey: key('attach-again') })).toMatchObject({ id: pm.id, customerId: customer.id });
        const other = await gw.createCustomer({ reference: 'ref_other', idempotencyKey: key('cus-b') });
        await expect(gw.attachPaymentMethod({ paymentMethodId: pm.id, customerId: other.id, idempotencyKey: key('attach-b') })).rejects.toMatchObject({ code: 'payment_method_invalid' });
        await expect(gw.attachPaymentMethod({ paymentMethodId: 'pm_doesnotexist', customerId: customer.id, idempotencyKey: key('attach-x') })).rejects.toMatchObject({ code: 'payment_method_invalid' });
      });

      it('refuses an off-session charge of a method not saved on the customer given, or without a customer', async () => {
        const { customer, pm } = await saved();
        const loose = await newPm();
        await expect(offSession(loose.id, customer.id, 'loose')).rejects.toMatchObject({ code: 'payment_method_invalid' });
        await expect(offSession(pm.id, undefined, 'no-customer')).rejects.toMatchObject({ code: 'payment_method_invalid' });
        const other = await gw.createCustomer({ reference: 'ref_c', idempotencyKey: key('cus-c') });
        await expect(offSession(pm.id, other.id, 'wrong-customer')).rejects.toMatchObject({ code: 'payment_method_invalid' });
      });

      it('a saved card declines off-session with its decline code', async () => {
        const { customer, pm } = await saved('insufficient_funds');
        expect(await offSession(pm.id, customer.id, 'decl')).toMatchObject({ status: 'declined', declineCode: 'insufficient_funds' });
      });
    });

    describe('listCharges (reconciliation)', () => {
      it('lists the captured, declined and refunded charges of a window, with their amounts', async () => {
        const since = new Date(Date.now() - 60_000);
        const ok = await gw.charge({ paymentMethodId: (await newPm()).id, amount: 3100, currency: 'EUR', idempotencyKey: key('ls-ok'), capture: true });
        const refunded = await gw.charge({ paymentMethodId: (await newPm()).id, amount: 3200, currency: 'EUR', idempotencyKey: key('ls-re'), capture: true });
        await gw.refund({ chargeId: refunded.id, idempotencyKey: key('ls-refund') });
        const listed = await gw.listCharges!({ since, until: new Date(Date.now() + 60_000) });
        expect(listed.find((c) => c.id === ok.id)).toMatchObject({ amount: 3100, currency: 'EUR', captured: true, status: 'succeeded', refunded: false, amountRefunded: 0 });
        expect(listed.find((c) => c.id === refunded.id)).toMatchObject({ amount: 3200, refunded: true, amountRefunded: 3200 });
        expect(await gw.listCharges!({ since: new Date(Date.now() + 3_600_000), until: new Date(Date.now() + 7_200_000) })).toEqual([]);
      });
    });

    describe('deletePaymentMethod', () => {
      it('forgets the card: later charges are refused; deleting again or an unknown id is a no-op', async () => {
        const pm = await newPm();
        expect(await gw.deletePaymentMethod({ paymentMethodId: pm.id, idempotencyKey: key('del') })).toEqual({ deleted: true });
        await expect(
          gw.charge({ paymentMethodId: pm.id, amount: 100, currency: 'EUR', idempotencyKey: key('ch-deleted'), capture: true }),
        ).rejects.toMatchObject({ code: 'payment_method_invalid' });
        expect(await gw.deletePaymentMethod({ paymentMethodId: pm.id, idempotencyKey: key('del-again') })).toEqual({ deleted: false });
        expect(await gw.deletePaymentMethod({ paymentMethodId: 'pm_doesnotexist', idempotencyKey: key('del-unknown') })).toEqual({ deleted: false });
      });

      it('deleteCustomer: the customer and its saved cards are gone; again or unknown is a no-op', async () => {
        const customer = await gw.createCustomer({ reference: `cus_del_${run}_${n}`, idempotencyKey: key('cus-del') });
        const pm = await newPm();
        await gw.attachPaymentMethod({ paymentMethodId: pm.id, customerId: customer.id, idempotencyKey: key('attach-del') });
        expect(await gw.deleteCustomer({ customerId: customer.id, idempotencyKey: key('cus-del-1') })).toEqual({ deleted: true });
        await expect(
          gw.charge({ paymentMethodId: pm.id, customerId: customer.id, offSession: true, amount: 100, currency: 'EUR', idempotencyKey: key('ch-cus-deleted'), capture: true }),
        ).rejects.toMatchObject({ code: 'payment_method_invalid' });
        expect(await gw.deleteCustomer({ customerId: customer.id, idempotencyKey: key('cus-del-2') })).toEqual({ deleted: false });
        expect(await gw.deleteCustomer({ customerId: 'cus_doesnotexist', idempotencyKey: key('cus-del-3') })).toEqual({ deleted: false });
      });
    });

    describe('refund', () => {
      const captured = async () => {
        const pm = await newPm();
        return gw.charge({ paymentMethodId: pm.id, amount: 2500, currency: 'EUR', idempotencyKey: key('ch-for-refund'), capture: true });
      };

      it('refunds a captured charge, idempotently by key', async () => {
        const ch = await captured();
        const k = key('re');
        const first = await gw.refund({ chargeId: ch.id, idempotencyKey: k });
        expect(first.status).toBe('succeeded');
        expect(first.id).toMatch(/^re_/);
        expect(await gw.refund({ chargeId: ch.id, idempotencyKey: k })).toEqual(first);
        const second = await captured();
        await expect(gw.refund({ chargeId: second.id, idempotencyKey: k })).rejects.toMatchObject({ code: 'payment_idempotency_mismatch' });
      });

      it('refuses to refund a declined charge, an authorisation or an unknown charge', async () => {
        const declined = await gw.charge({
          paymentMethodId: (await newPm('generic_decline')).id, amount: 100, currency: 'EUR', idempotencyKey: key('ch-d'), capture: true,
        });
        const auth = await gw.charge({ paymentMethodId: (await newPm()).id, amount: 0, currency: 'EUR', idempotencyKey: key('auth-r'), capture: false });
        for (const chargeId of [declined.id, auth.id, 'ch_doesnotexist']) {
          await expect(gw.refund({ chargeId, idempotencyKey: key('re-bad') })).rejects.toMatchObject({ code: 'payment_refund_invalid' });
        }
      });
    });
    describe('3-D Secure (requires_action)', () => {
      const onSession = async (scenario: TestCardScenario, capture = true) => {
        const pm = await newPm(scenario);
        const input = { paymentMethodId: pm.id, amount: 2900, currency: 'EUR', idempotencyKey: key('3ds'), capture };
        return { input, first: await gw.chargeOnSession(input) };
      };
      const challengeOf = (r: Awaited<ReturnType<PaymentGateway['chargeOnSession']>>) => {
        if (r.status !== 'requires_action') throw new Error(`expected requires_action, got ${r.status}`);
        return r.nextAction.challengeId;
      };

      it('a customer-present charge of a good card needs no action', async () => {
        const { first } = await onSession('success');
        expect(first).toMatchObject({ status: 'succeeded', kind: 'charge', amount: 2900, currency: 'EUR' });
      });

      it('asks for authentication, moves no money until then, and the same call after it captures exactly once', async () => {
        const { input, first } = await onSession('authentication_required');
        expect(first).toMatchObject({ status: 'requires_action', amount: 2900, currency: 'EUR', nextAction: { type: 'three_d_secure', challengeId: expect.any(String) } });
        // Asked again before the cardholder answered: the same pending challenge, still nothing charged.
        expect(await gw.chargeOnSession(input)).toEqual(first);
        await h.authenticate(challengeOf(first), 'succeeded');
        const results = await Promise.all(Array.from({ length: 5 }, () => gw.chargeOnSession(input)));
        expect(results[0]).toMatchObject({ status: 'succeeded', kind: 'charge', amount: 2900, currency: 'EUR' });
        expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
        expect(await gw.chargeOnSession(input)).toEqual(results[0]);
        // The capture is real money: refundable once.
        expect((await gw.refund({ chargeId: results[0]!.id, idempotencyKey: key('3ds-re') })).status).toBe('succeeded');
      });

      it('an authorisation (capture:false) after authentication succeeds as an authorisation', async () => {
        const { input, first } = await onSession('authentication_required', false);
        await h.authenticate(challengeOf(first), 'succeeded');
        expect(await gw.chargeOnSession(input)).toMatchObject({ status: 'succeeded', kind: 'authorization', amount: 2900 });
      });

      it('a failed authentication is a decline authentication_failed, replayed the same', async () => {
        const { input, first } = await onSession('authentication_required');
        await h.authenticate(challengeOf(first), 'failed');
        const declined = await gw.chargeOnSession(input);
        expect(declined).toMatchObject({ status: 'declined', declineCode: 'authentication_failed', amount: 2900, currency: 'EUR' });
        expect(await gw.chargeOnSession(input)).toEqual(declined);
      });

      it('the 3178 card authenticates, then is declined for insufficient funds', async () => {
        const { input, first } = await onSession('authentication_then_insufficient_funds');
        await h.authenticate(challengeOf(first), 'succeeded');
        const declined = await gw.chargeOnSession(input);
        expect(declined).toMatchObject({ status: 'declined', declineCode: 'insufficient_funds' });
        expect(await gw.chargeOnSession(input)).toEqual(declined);
      });

      it('off-session (merchant-initiated), a card that needs authentication is declined authentication_required', async () => {
        const pm = await newPm('authentication_required');
        const r = await gw.charge({ paymentMethodId: pm.id, amount: 900, currency: 'EUR', idempotencyKey: key('3ds-off'), capture: true });
        expect(r).toMatchObject({ status: 'declined', declineCode: 'authentication_required' });
      });

      it('a challenge left unanswered past its deadline ends as authentication_expired, replayed the same; it can no longer be answered', async () => {
        for (const capture of [true, false]) {
          const { input, first } = await onSession('authentication_required', capture);
          h.advanceClock(14 * 60_000);
          expect(await gw.chargeOnSession(input)).toEqual(first);
          h.advanceClock(2 * 60_000);
          const expired = await gw.chargeOnSession(input);
          expect(expired).toMatchObject({ status: 'declined', declineCode: 'authentication_expired', amount: 2900, currency: 'EUR' });
          expect(await gw.chargeOnSession(input)).toEqual(expired);
          await expect(h.authenticate(challengeOf(first), 'succeeded')).rejects.toThrow();
          expect(await gw.chargeOnSession(input)).toEqual(expired);
        }
        // A zero-amount check (a card change's SetupIntent on Stripe) expires the same way.
        const pm = await newPm('authentication_required');
        const zero = { paymentMethodId: pm.id, amount: 0, currency: 'EUR', idempotencyKey: key('3ds-zero'), capture: false };
        const pending = await gw.chargeOnSession(zero);
        expect(pending.status).toBe('requires_action');
        h.advanceClock(16 * 60_000);
        expect(await gw.chargeOnSession(zero)).toMatchObject({ status: 'declined', declineCode: 'authentication_expired', amount: 0 });
      });

      it('refuses the same key with another amount while the challenge is pending', async () => {
        const { input } = await onSession('authentication_required');
        await expect(gw.chargeOnSession({ ...input, amount: input.amount + 1 })).rejects.toMatchObject({ code: 'payment_idempotency_mismatch' });
      });
    });
  });
}
