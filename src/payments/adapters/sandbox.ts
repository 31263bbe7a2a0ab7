import type { SandboxGateway } from '../../gateway-sandbox/index.js';
import { isAppError } from '../../kernel/errors.js';
import { paymentErrors } from '../errors.js';
import type { PaymentGateway } from '../gateway.js';

/**
 * PaymentGateway over the embedded sandbox. Coded errors pass through; anything
 * else (the gateway's database is down, a bug) becomes payment_gateway_unavailable,
 * as a network failure would with a remote gateway, so no internals reach a client.
 * `publicUrl` is the gateway's own origin (GATEWAY_PUBLIC_URL): a 3-D Secure
 * challenge page is served there, never on the app's origin.
 */
export function createSandboxPaymentGateway(sandbox: SandboxGateway, opts: { publicUrl?: string } = {}): PaymentGateway {
  return {
    name: 'sandbox',
    createPaymentMethod: (input) => guard(() => sandbox.createPaymentMethod(input)),
    createCustomer: (input) => guard(() => sandbox.createCustomer(input)),
    attachPaymentMethod: (input) => guard(() => sandbox.attachPaymentMethod(input)),
    charge: (input) => guard(() => sandbox.charge(input)),
    chargeOnSession: (input) =>
      guard(async () => {
        const r = await sandbox.chargeOnSession(input);
        if (r.status !== 'requires_action' || !opts.publicUrl) return r;
        const url = `${opts.publicUrl.replace(/\/$/, '')}/sandbox-gateway/hosted/challenge/${encodeURIComponent(r.nextAction.challengeId)}`;
        return { ...r, nextAction: { ...r.nextAction, url } };
      }),
    refund: (input) => guard(() => sandbox.refund(input)),
    deletePaymentMethod: (input) => guard(() => sandbox.deletePaymentMethod(input)),
    listCharges: (input) => guard(() => sandbox.listCharges(input)),
  };
}

async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isAppError(err)) throw err;
    throw paymentErrors.payment_gateway_unavailable({ cause: err });
  }
}
