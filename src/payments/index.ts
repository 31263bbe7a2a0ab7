export type { PaymentGateway, ActionRequired, OnSessionChargeResult, GatewayCharge, CardSummary, ChargeResult, ChargeInput, CreatePaymentMethodInput, RefundInput } from './gateway.js';
export { paymentErrors } from './errors.js';
export { createSandboxPaymentGateway } from './adapters/sandbox.js';
export { createStripePaymentGateway, type StripeGatewayConfig } from './adapters/stripe.js';
export { withGatewayFaults, parseGatewayFaults, type GatewayFaults } from './adapters/faulty.js';
export { withGatewayRetries, DEFAULT_GATEWAY_RETRY, type RetryPolicy } from './adapters/retrying.js';
export { refundChargeHandler } from './refund-charge-job.js';
export { classifyDecline, declineError, keepsCard, type DeclineAdvice } from './decline-advice.js';
