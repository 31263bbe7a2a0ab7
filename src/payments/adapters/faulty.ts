import { paymentErrors } from '../errors.js';
import type { PaymentGateway } from '../gateway.js';

export interface FaultStats {
  calls: number;
  delayed: number;
  error: number;
  drop: number;
  lost: number;
}

/** Fault rates in [0, 1] per gateway call, and the added latency. */
export interface GatewayFaults {
  latencyMs: number;
  latencyRate: number;
  /** The gateway answers 5xx before doing anything. */
  errorRate: number;
  /** The connection drops before the request is processed. */
  dropRate: number;
  /** The gateway processes the request, then the response is lost: the dangerous one (a retry must not repeat it). */
  lostRate: number;
}

/** `latency=50ms@0.1,error=0.05,drop=0.01,lost=0.02` → faults; an empty string → none. */
export function parseGatewayFaults(spec: string): GatewayFaults | null {
  if (!spec.trim()) return null;
  const f: GatewayFaults = { latencyMs: 0, latencyRate: 0, errorRate: 0, dropRate: 0, lostRate: 0 };
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^(latency)=(\d+)ms@(0(?:\.\d+)?|1)$|^(error|drop|lost)=(0(?:\.\d+)?|1)$/.exec(part);
    if (!m) throw new Error(`GATEWAY_FAULTS: cannot read "${part}" (latency=50ms@0.1, error=0.05, drop=0.01, lost=0.02)`);
    if (m[1]) Object.assign(f, { latencyMs: Number(m[2]), latencyRate: Number(m[3]) });
    else f[`${m[4] as 'error' | 'drop' | 'lost'}Rate`] = Number(m[5]);
  }
  return f;
}

/**
 * The sandbox with injected faults, for reliability tests and the fault
 * benchmark: latency, a 5xx or a dropped connection before the call, and a
 * response lost after the call did its work. All surface as
 * payment_gateway_unavailable, exactly what a remote gateway's network
 * failures look like to the caller.
 */
export function withGatewayFaults(inner: PaymentGateway, faults: GatewayFaults, random: () => number = Math.random): PaymentGateway & { faultStats: FaultStats } {
  // Counted, so a benchmark can show the faults really happened.
  const faultStats: FaultStats = { calls: 0, delayed: 0, error: 0, drop: 0, lost: 0 };
  const wrap = <A, R>(fn: (a: A) => Promise<R>) => async (a: A): Promise<R> => {
    faultStats.calls++;
    if (random() < faults.latencyRate && ++faultStats.delayed) await new Promise((r) => setTimeout(r, faults.latencyMs));
    if (random() < faults.errorRate && ++faultStats.error) throw paymentErrors.payment_gateway_unavailable({ detail: 'injected: gateway 503' });
    if (random() < faults.dropRate && ++faultStats.drop) throw paymentErrors.payment_gateway_unavailable({ detail: 'injected: connection reset' });
    const result = await fn(a);
    if (random() < faults.lostRate && ++faultStats.lost) throw paymentErrors.payment_gateway_unavailable({ detail: 'injected: response lost after processing' });
    return result;
  };
  return {
    faultStats,
    name: inner.name,
    createPaymentMethod: wrap((i) => inner.createPaymentMethod(i)),
    createCustomer: wrap((i) => inner.createCustomer(i)),
    attachPaymentMethod: wrap((i) => inner.attachPaymentMethod(i)),
    charge: wrap((i) => inner.charge(i)),
    chargeOnSession: wrap((i) => inner.chargeOnSession(i)),
    refund: wrap((i) => inner.refund(i)),
    ...(inner.submitDisputeEvidence ? { submitDisputeEvidence: wrap((i: Parameters<NonNullable<PaymentGateway['submitDisputeEvidence']>>[0]) => inner.submitDisputeEvidence!(i)) } : {}),
    ...(inner.retrieveDispute ? { retrieveDispute: (i: string) => inner.retrieveDispute!(i) } : {}),
    ...(inner.listDisputes ? { listDisputes: (i: { since: Date; until: Date }) => inner.listDisputes!(i) } : {}),
    ...(inner.acceptDispute ? { acceptDispute: wrap((i: Parameters<NonNullable<PaymentGateway['acceptDispute']>>[0]) => inner.acceptDispute!(i)) } : {}),
    deletePaymentMethod: wrap((i) => inner.deletePaymentMethod(i)),
    ...(inner.listCharges ? { listCharges: (i: { since: Date; until: Date }) => inner.listCharges!(i) } : {}),
  };
}
