/** What enrollment may know about a card: never the PAN, never the CVC. */
export interface CardSummary {
  brand: string;
  last4: string;
  exp_month: number;
  exp_year: number;
  /** Stable per card number (same card, same fingerprint), not reversible; feeds trial-abuse risk checks. */
  fingerprint: string;
  /** ISO 3166 alpha-2 issuing country, when the gateway knows it (Stripe: card.country); feeds the risk engine. */
  country?: string;
}

/**
 * A decline is an outcome the caller must branch on, so it is a result, not a
 * thrown error. `declineCode` uses Stripe's vocabulary: generic_decline,
 * insufficient_funds, expired_card, incorrect_cvc, processing_error, …
 */
export type ChargeResult =
  | { status: 'succeeded'; id: string; amount: number; currency: string; kind: 'charge' | 'authorization' }
  | { status: 'declined'; id: string; declineCode: string; amount: number; currency: string };

export interface CreatePaymentMethodInput {
  token: string;
  idempotencyKey: string;
}

export interface ChargeInput {
  paymentMethodId: string;
  /** Integer minor units of `currency`. 0 with capture:false is a card validation. */
  amount: number;
  /** ISO 4217; results carry it upper-case. */
  currency: string;
  /** Derived from persisted ids (`enr_…:first-charge`), never fresh on retry. */
  idempotencyKey: string;
  /** false = authorise then void immediately (a validation check), kind 'authorization'. */
  capture: boolean;
}

export interface RefundInput {
  chargeId: string;
  idempotencyKey: string;
}

/**
 * The PCI-side gateway as enrollment sees it: tokens in, ids out.
 * Errors: payment_method_invalid, payment_idempotency_mismatch,
 * payment_refund_invalid, payment_gateway_unavailable (see errors.ts).
 */
/** A charge as the gateway's books have it, for reconciliation. */
export interface GatewayCharge {
  id: string;
  amount: number;
  currency: string;
  captured: boolean;
  status: 'succeeded' | 'failed';
  refunded: boolean;
  createdAt: Date;
}

export interface PaymentGateway {
  readonly name: string;
  /** The gateway's charges created in [since, until): reconciliation compares them with our books. Optional per adapter. */
  listCharges?(input: { since: Date; until: Date }): Promise<GatewayCharge[]>;
  createPaymentMethod(input: CreatePaymentMethodInput): Promise<{ id: string; card: CardSummary }>;
  charge(input: ChargeInput): Promise<ChargeResult>;
  refund(input: RefundInput): Promise<{ id: string; status: 'succeeded' }>;
  /**
   * Erasure: the gateway forgets the stored card (sandbox: the PAN ciphertext is destroyed; Stripe: the
   * payment method is detached). Later charges on it are refused. Idempotent: an unknown or already
   * deleted method is `deleted: false`, not an error, so a retried erasure job completes.
   */
  deletePaymentMethod(input: { paymentMethodId: string; idempotencyKey: string }): Promise<{ deleted: boolean }>;
}
