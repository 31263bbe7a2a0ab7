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
/** How long a customer has to answer a 3-D Secure challenge unless PAYMENT_CHALLENGE_TTL_MINUTES says otherwise. */
export const DEFAULT_CHALLENGE_TTL_MINUTES = 15;

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
  /** The gateway customer the method is attached to; required with offSession (a saved card is only reusable on its customer). */
  customerId?: string;
  /** A merchant-initiated charge (renewal, trial conversion, dunning): the customer is not there to authenticate. */
  offSession?: boolean;
}

export interface CreateCustomerInput {
  /** Our persisted id the gateway customer stands for (enrollment or customer id); kept in the gateway's metadata. */
  reference: string;
  idempotencyKey: string;
}

export interface AttachPaymentMethodInput {
  paymentMethodId: string;
  customerId: string;
  idempotencyKey: string;
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
  /** Refunded in full (Stripe's `refunded`). */
  refunded: boolean;
  /** What has been given back so far, in minor units (Stripe's `amount_refunded`): partial refunds show only here. */
  amountRefunded: number;
  createdAt: Date;
}

/** A dispute as the gateway has it now: what a webhook processor re-fetches when in doubt, and reconciliation lists. */
export interface GatewayDispute {
  id: string;
  chargeId: string;
  status: string;
  amount: number;
  currency: string;
  reason: string | null;
  createdAt: Date;
}

export interface PaymentGateway {
  readonly name: string;
  /**
   * The gateway's charges created in [since, until), and those refunded in it whenever they were made (a refund on an
   * older charge is in no page of new ones): reconciliation compares them with our books. Optional per adapter.
   */
  listCharges?(input: { since: Date; until: Date }): Promise<GatewayCharge[]>;
  createPaymentMethod(input: CreatePaymentMethodInput): Promise<{ id: string; card: CardSummary }>;
  /**
   * Merchant-initiated (off-session): the customer is not there to authenticate,
   * so a card that needs 3-D Secure is declined `authentication_required`.
   */
  /** A gateway customer; the same key returns the same customer. */
  createCustomer(input: CreateCustomerInput): Promise<{ id: string }>;
  /**
   * Save a method on a customer so it can be charged again off-session. Attaching it to the
   * same customer again is a no-op; to another customer is payment_method_invalid.
   */
  attachPaymentMethod(input: AttachPaymentMethodInput): Promise<{ id: string; customerId: string }>;
  charge(input: ChargeInput): Promise<ChargeResult>;
  /**
   * Customer-present: may answer `requires_action`; the same call with the same
   * key after the challenge confirms it (one charge, whatever the number of calls).
   */
  chargeOnSession(input: ChargeInput): Promise<OnSessionChargeResult>;
  refund(input: RefundInput): Promise<{ id: string; status: 'succeeded' }>;
  /** Send a dispute's evidence and submit it (Stripe: disputes.update with evidence, submit=true). Optional per adapter. */
  submitDisputeEvidence?(input: { disputeId: string; evidence: Record<string, string>; idempotencyKey: string }): Promise<{ id: string; status: string }>;
  /** The dispute's current state, read from the gateway (null if unknown there). Optional per adapter. */
  retrieveDispute?(id: string): Promise<GatewayDispute | null>;
  /** The gateway's disputes created in [since, until), for reconciliation. Optional per adapter. */
  listDisputes?(input: { since: Date; until: Date }): Promise<GatewayDispute[]>;
  /** Concede a dispute (Stripe: disputes.close). Optional per adapter. */
  acceptDispute?(input: { disputeId: string; idempotencyKey: string }): Promise<{ id: string; status: string }>;
  /**
   * Erasure: the gateway forgets the stored card (sandbox: the PAN ciphertext is destroyed; Stripe: the
   * payment method is detached). Later charges on it are refused. Idempotent: an unknown or already
   * deleted method is `deleted: false`, not an error, so a retried erasure job completes.
   */
  deletePaymentMethod(input: { paymentMethodId: string; idempotencyKey: string }): Promise<{ deleted: boolean }>;
  /**
   * Erasure: the gateway customer goes, with every method saved on it (Stripe: customers.del). Idempotent like
   * deletePaymentMethod: an unknown or already deleted customer is `deleted: false`.
   */
  deleteCustomer(input: { customerId: string; idempotencyKey: string }): Promise<{ deleted: boolean }>;
}
