import { listCharges } from './list-charges.js';
import { DEFAULT_CHALLENGE_TTL_MINUTES, type GatewayCharge } from '../payments/index.js';
import type { Db } from '../db/index.js';
import { systemClock, type Clock } from '../kernel/clock.js';
import type { AttachPaymentMethodInput, CardSummary, ChargeInput, ChargeResult, CreateCustomerInput, OnSessionChargeResult } from '../payments/index.js';
import { answerChallenge, getChallenge } from './answer-challenge.js';
import { chargePaymentMethod, chargePaymentMethodOnSession } from './charge-payment-method.js';
import type { ChallengeRow } from './repository.js';
import { createPaymentMethod } from './create-payment-method.js';
import { attachPaymentMethod, createCustomer } from './customers.js';
import { deleteCustomer, deletePaymentMethod } from './delete-payment-method.js';
import { deriveGatewayKeys, type GatewayContext } from './keys.js';
import { refundCharge } from './refund-charge.js';
import { tokenizeCard, type TokenizeCardInput, type TokenizedCard } from './tokenize-card.js';

export { sandboxGatewayRoutes } from './routes.js';
export { gatewayErrors } from './errors.js';
export { TEST_CARDS, THREE_DS_CARDS } from './card-rules.js';
export { hostedPageRoutes, type HostedPagesOptions } from './hosted-routes.js';
export { deleteExpiredChallenges, type ChallengeRow } from './repository.js';
export type { TokenizeCardInput, TokenizedCard } from './tokenize-card.js';

/** The embedded gateway: the only code that ever sees a PAN. Enrollment reaches it through payments' PaymentGateway port. */
export interface SandboxGateway {
  tokenizeCard(input: TokenizeCardInput): Promise<TokenizedCard>;
  createPaymentMethod(input: { token: string; idempotencyKey: string }): Promise<{ id: string; card: CardSummary }>;
  createCustomer(input: CreateCustomerInput): Promise<{ id: string }>;
  attachPaymentMethod(input: AttachPaymentMethodInput): Promise<{ id: string; customerId: string }>;
  charge(input: ChargeInput): Promise<ChargeResult>;
  chargeOnSession(input: ChargeInput): Promise<OnSessionChargeResult>;
  /** The cardholder's answer to a 3-D Secure challenge (the hosted challenge page posts it). */
  answerChallenge(id: string, outcome: 'succeeded' | 'failed'): Promise<ChallengeRow>;
  getChallenge(id: string): Promise<ChallengeRow | null>;
  refund(input: { chargeId: string; idempotencyKey: string }): Promise<{ id: string; status: 'succeeded' }>;
  listCharges(input: { since: Date; until: Date }): Promise<GatewayCharge[]>;
  deletePaymentMethod(input: { paymentMethodId: string }): Promise<{ deleted: boolean }>;
  deleteCustomer(input: { customerId: string }): Promise<{ deleted: boolean }>;
}

/** Build the sandbox gateway over its own tables; `secret` is GATEWAY_SECRET (≥ 16 chars), never the app secret. */
export function createSandboxGateway(opts: { db: Db; secret: string; clock?: Clock; challengeTtlMinutes?: number }): SandboxGateway {
  const ctx: GatewayContext = {
    db: opts.db, clock: opts.clock ?? systemClock, keys: deriveGatewayKeys(opts.secret),
    challengeTtlMs: (opts.challengeTtlMinutes ?? DEFAULT_CHALLENGE_TTL_MINUTES) * 60_000,
  };
  return {
    tokenizeCard: (input) => tokenizeCard(ctx, input),
    createPaymentMethod: (input) => createPaymentMethod(ctx, input),
    createCustomer: (input) => createCustomer(ctx, input),
    attachPaymentMethod: (input) => attachPaymentMethod(ctx, input),
    charge: (input) => chargePaymentMethod(ctx, input),
    chargeOnSession: (input) => chargePaymentMethodOnSession(ctx, input),
    answerChallenge: (id, outcome) => answerChallenge(ctx, id, outcome),
    getChallenge: (id) => getChallenge(ctx, id),
    refund: (input) => refundCharge(ctx, input),
    listCharges: (input) => listCharges(ctx, input),
    deletePaymentMethod: (input) => deletePaymentMethod(ctx, input),
    deleteCustomer: (input) => deleteCustomer(ctx, input),
  };
}
