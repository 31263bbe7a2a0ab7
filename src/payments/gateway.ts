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

/**
 * A customer-present charge may need the cardholder first (3-D Secure). The
 * browser completes the challenge on the gateway's side; the caller then
 * repeats the SAME call (same key), which confirms the payment once and
 * answers its final outcome. Nothing is charged while this is pending.
 */
export interface ActionRequired {
  status: 'requires_action';
  /** The gateway's pending object (sandbox challenge, Stripe PaymentIntent). */
  id: string;
  amount: number;
  currency: string;
  nextAction: {
    type: 'three_d_secure';
    challengeId: string;
    /** Sandbox: the challenge page on the gateway's origin (the caller adds parent_origin and locale). */
    url?: string;
    /** Stripe: what Stripe.js needs for handleCardAction. */
    clientSecret?: string;
  };
}

export type OnSessionChargeResult = ChargeResult | ActionRequired;

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
  /**
   * Merchant-initiated (off-session): the customer is not there to authenticate,
   * so a card that needs 3-D Secure is declined `authentication_required`.
   */
  charge(input: ChargeInput): Promise<ChargeResult>;
  /**
   * Customer-present: may answer `requires_action`; the same call with the same
   * key after the challenge confirms it (one charge, whatever the number of calls).
   */
  chargeOnSession(input: ChargeInput): Promise<OnSessionChargeResult>;
  refund(input: RefundInput): Promise<{ id: string; status: 'succeeded' }>;
  /**
   * Erasure: the gateway forgets the stored card (sandbox: the PAN ciphertext is destroyed; Stripe: the
   * payment method is detached). Later charges on it are refused. Idempotent: an unknown or already
   * deleted method is `deleted: false`, not an error, so a retried erasure job completes.
   */
  deletePaymentMethod(input: { paymentMethodId: string; idempotencyKey: string }): Promise<{ deleted: boolean }>;
}
