export { webhookRoutes } from './routes.js';
export { webhookErrors } from './errors.js';
export { processGatewayEventHandler } from './process-gateway-event.js';
export { receiveStripeEvent } from './receive-stripe-event.js';
export { verifyStripeEvent, WEBHOOK_TOLERANCE_SECONDS, WEBHOOK_FUTURE_SKEW_SECONDS } from './verify-stripe-event.js';
export { findDisputeState, upsertDispute } from './repository.js';
