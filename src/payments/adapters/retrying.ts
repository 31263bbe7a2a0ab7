import { backoffMs } from '../../jobs/backoff.js';
import { isAppError } from '../../kernel/errors.js';
import { paymentErrors } from '../errors.js';
import type { PaymentGateway } from '../gateway.js';

export interface RetryPolicy {
  /** Total tries per call, the first included. */
  attempts: number;
  baseMs: number;
  capMs: number;
}

export const DEFAULT_GATEWAY_RETRY: RetryPolicy = { attempts: 4, baseMs: 100, capMs: 2_000 };

/**
 * Retry transient gateway failures (payment_gateway_unavailable: 5xx, a
 * dropped connection, a lost response) with exponential backoff and full
 * jitter, under the SAME idempotency key: a call that went through before its
 * answer was lost is replayed by the gateway, never repeated. A decline is a
 * result, not an error, so it is never retried here; nor are the caller's
 * mistakes (unknown method, key reused with other parameters).
 */
export function withGatewayRetries(
  inner: PaymentGateway,
  policy: RetryPolicy = DEFAULT_GATEWAY_RETRY,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): PaymentGateway {
  const retry = <A, R>(fn: (a: A) => Promise<R>) => async (a: A): Promise<R> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn(a);
      } catch (err) {
        if (!isAppError(err, paymentErrors.payment_gateway_unavailable) || attempt >= policy.attempts) throw err;
        await sleep(backoffMs(attempt, { baseMs: policy.baseMs, capMs: policy.capMs }));
      }
    }
  };
  return {
    // Fault counters of an injected-fault gateway underneath stay readable (benchmarks).
    ...('faultStats' in inner ? { faultStats: inner.faultStats } : {}),
    name: inner.name,
    createPaymentMethod: retry((i) => inner.createPaymentMethod(i)),
    createCustomer: retry((i) => inner.createCustomer(i)),
    attachPaymentMethod: retry((i) => inner.attachPaymentMethod(i)),
    charge: retry((i) => inner.charge(i)),
    chargeOnSession: retry((i) => inner.chargeOnSession(i)),
    refund: retry((i) => inner.refund(i)),
    ...(inner.submitDisputeEvidence ? { submitDisputeEvidence: retry((i: Parameters<NonNullable<PaymentGateway['submitDisputeEvidence']>>[0]) => inner.submitDisputeEvidence!(i)) } : {}),
    ...(inner.retrieveDispute ? { retrieveDispute: retry((i: string) => inner.retrieveDispute!(i)) } : {}),
    ...(inner.listDisputes ? { listDisputes: retry((i: { since: Date; until: Date }) => inner.listDisputes!(i)) } : {}),
    ...(inner.acceptDispute ? { acceptDispute: retry((i: Parameters<NonNullable<PaymentGateway['acceptDispute']>>[0]) => inner.acceptDispute!(i)) } : {}),
    deletePaymentMethod: retry((i) => inner.deletePaymentMethod(i)),
    ...(inner.listCharges ? { listCharges: retry((i: { since: Date; until: Date }) => inner.listCharges!(i)) } : {}),
  };
}
