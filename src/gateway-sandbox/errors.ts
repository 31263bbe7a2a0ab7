import { defineErrors } from '../kernel/errors.js';

/** Codes of the sandbox gateway's own surface; the payment port's codes live in payments/errors.ts. */
export const gatewayErrors = defineErrors({
  gateway_card_invalid: { status: 422, title: 'The card details are invalid' },
  gateway_challenge_unavailable: { status: 409, title: 'This authentication challenge is unknown or was answered already' },
  gateway_request_invalid: { status: 422, title: 'The gateway request is invalid' },
});
