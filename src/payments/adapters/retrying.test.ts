import { describe, expect, it } from 'vitest';
import { createTestDb } from '../../../test/helpers/db.js';
import { createSandboxGateway, TEST_CARDS } from '../../gateway-sandbox/index.js';
import { isAppError } from '../../kernel/errors.js';
import { paymentErrors } from '../errors.js';
import type { PaymentGateway } from '../gateway.js';
import { parseGatewayFaults, withGatewayFaults } from './faulty.js';
import { withGatewayRetries } from './retrying.js';
import { createSandboxPaymentGateway } from './sandbox.js';

const noSleep = async () => {};

describe('gateway retries under injected faults', () => {
  it('parses the fault spec, and refuses a malformed one', () => {
    expect(parseGatewayFaults('latency=50ms@0.1, error=0.05,drop=0.01,lost=0.02')).toEqual({ latencyMs: 50, latencyRate: 0.1, errorRate: 0.05, dropRate: 0.01, lostRate: 0.02 });
    expect(parseGatewayFaults('')).toBeNull();
    expect(() => parseGatewayFaults('error=5%')).toThrow(/GATEWAY_FAULTS/);
  });

  it('a response lost after the charge went through is retried under the same key: one charge, the same result', async () => {
    const db = await createTestDb();
    try {
      const sandbox = createSandboxGateway({ db, secret: 'retry-test-gateway-secret' });
      let lose = 1; // the first charge call's answer is lost
      const faults = withGatewayFaults(createSandboxPaymentGateway(sandbox), { latencyMs: 0, latencyRate: 0, errorRate: 0, dropRate: 0, lostRate: 1 }, () => (lose-- > 0 ? 0 : 1));
      const gw = withGatewayRetries(faults, { attempts: 3, baseMs: 1, capMs: 1 }, noSleep);
      const token = await sandbox.tokenizeCard({ number: TEST_CARDS.success, exp_month: 12, exp_year: 2031, cvc: '123' });
      const pm = await createSandboxPaymentGateway(sandbox).createPaymentMethod({ token: token.id, idempotencyKey: 'pm-1' });
      const r = await gw.charge({ paymentMethodId: pm.id, amount: 1900, currency: 'EUR', capture: true, idempotencyKey: 'enr_x:complete:v1:0' });
      expect(r).toMatchObject({ status: 'succeeded', amount: 1900 });
      const { rows } = await db.query(`SELECT count(*)::int AS n FROM gateway_charges WHERE payment_method_id = $1`, [pm.id]);
      expect(rows[0].n).toBe(1);
    } finally {
      await db.dropAfter();
    }
  });

  it('retries only transient failures, and gives up after the last attempt', async () => {
    let calls = 0;
    const failing = (err: unknown): PaymentGateway => ({
      name: 't',
      createPaymentMethod: async () => { calls++; throw err; },
      createCustomer: async () => { calls++; throw err; },
      attachPaymentMethod: async () => { calls++; throw err; },
      charge: async () => { calls++; throw err; },
      chargeOnSession: async () => { calls++; throw err; },
      refund: async () => { calls++; throw err; },
      deletePaymentMethod: async () => { calls++; throw err; },
    });
    const input = { paymentMethodId: 'pm_x', amount: 1, currency: 'EUR', capture: true, idempotencyKey: 'k' };
    const transient = withGatewayRetries(failing(paymentErrors.payment_gateway_unavailable()), { attempts: 4, baseMs: 1, capMs: 1 }, noSleep);
    await expect(transient.charge(input)).rejects.toSatisfy((e) => isAppError(e, paymentErrors.payment_gateway_unavailable));
    expect(calls).toBe(4);
    calls = 0;
    const mistake = withGatewayRetries(failing(paymentErrors.payment_method_invalid()), { attempts: 4, baseMs: 1, capMs: 1 }, noSleep);
    await expect(mistake.charge(input)).rejects.toSatisfy((e) => isAppError(e, paymentErrors.payment_method_invalid));
    expect(calls).toBe(1);
  });

  it('never retries a decline (a result, not an error)', async () => {
    let calls = 0;
    const declining: PaymentGateway = {
      name: 't',
      createPaymentMethod: async () => { throw new Error('unused'); },
      createCustomer: async () => { throw new Error('unused'); },
      attachPaymentMethod: async () => { throw new Error('unused'); },
      charge: async (i) => { calls++; return { status: 'declined', id: 'ch_1', declineCode: 'insufficient_funds', amount: i.amount, currency: i.currency }; },
      chargeOnSession: async () => { throw new Error('unused'); },
      refund: async () => { throw new Error('unused'); },
      deletePaymentMethod: async () => { throw new Error('unused'); },
    };
    const r = await withGatewayRetries(declining, { attempts: 4, baseMs: 1, capMs: 1 }, noSleep).charge({ paymentMethodId: 'pm', amount: 5, currency: 'EUR', capture: true, idempotencyKey: 'k' });
    expect(r.status).toBe('declined');
    expect(calls).toBe(1);
  });
});
