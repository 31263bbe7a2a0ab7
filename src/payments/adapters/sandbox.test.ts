import { describe, expect, it } from 'vitest';
import { createTestDb } from '../../../test/helpers/db.js';
import { createSandboxGateway, TEST_CARDS, THREE_DS_CARDS, type SandboxGateway } from '../../gateway-sandbox/index.js';
import { createManualClock } from '../../kernel/clock.js';
import { AppError } from '../../kernel/errors.js';
import { paymentGatewayContract } from '../gateway.contract.js';
import { createSandboxPaymentGateway } from './sandbox.js';

paymentGatewayContract('sandbox', async () => {
  const db = await createTestDb();
  const clock = createManualClock();
  const sandbox = createSandboxGateway({ db, secret: 'contract-test-gateway-secret', clock });
  const expYear = new Date().getUTCFullYear() + 3;
  return {
    gateway: createSandboxPaymentGateway(sandbox),
    tokenFor: async (scenario) => (await sandbox.tokenizeCard({ number: { ...TEST_CARDS, ...THREE_DS_CARDS }[scenario], exp_month: 12, exp_year: expYear, cvc: '123' })).id,
    authenticate: async (challengeId, outcome) => {
      await sandbox.answerChallenge(challengeId, outcome);
    },
    advanceClock: (ms) => clock.advance(ms),
    close: () => db.dropAfter(),
  };
});

describe('sandbox adapter failures', () => {
  const broken = (err: unknown): SandboxGateway => {
    const fail = async (): Promise<never> => {
      throw err;
    };
    return { tokenizeCard: fail, createPaymentMethod: fail, createCustomer: fail, attachPaymentMethod: fail, charge: fail, chargeOnSession: fail, answerChallenge: fail, getChallenge: fail, refund: fail, listCharges: fail, deletePaymentMethod: fail, deleteCustomer: fail };
  };

  it('turns an uncoded failure (database down) into payment_gateway_unavailable, keeping the cause', async () => {
    const cause = new Error('connection refused');
    const gw = createSandboxPaymentGateway(broken(cause));
    const err = await gw.charge({ paymentMethodId: 'pm_x', amount: 1, currency: 'EUR', idempotencyKey: 'k', capture: true }).catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'payment_gateway_unavailable', status: 503 });
    expect(err.cause).toBe(cause);
    await expect(gw.refund({ chargeId: 'ch_x', idempotencyKey: 'k' })).rejects.toMatchObject({ code: 'payment_gateway_unavailable' });
    await expect(gw.createPaymentMethod({ token: 'tok_x', idempotencyKey: 'k' })).rejects.toMatchObject({ code: 'payment_gateway_unavailable' });
  });

  it('passes coded errors through unchanged', async () => {
    const gw = createSandboxPaymentGateway(broken(new AppError('payment_method_invalid', { status: 422, title: 't' })));
    await expect(gw.createPaymentMethod({ token: 'tok_x', idempotencyKey: 'k' })).rejects.toMatchObject({ code: 'payment_method_invalid' });
  });
});
