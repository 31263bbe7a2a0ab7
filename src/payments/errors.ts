import { defineErrors } from '../kernel/errors.js';

/** Codes every PaymentGateway adapter speaks, so enrollment never sees a vendor's vocabulary. */
export const paymentErrors = defineErrors({
  payment_card_declined: { status: 402, title: 'The card was declined' },
  payment_insufficient_funds: { status: 402, title: 'The card has insufficient funds' },
  payment_card_expired: { status: 402, title: 'The card has expired' },
  payment_incorrect_cvc: { status: 402, title: 'The card\'s security code is incorrect' },
  payment_authentication_required: { status: 402, title: 'The card issuer asks the cardholder to authenticate this payment' },
  payment_authentication_failed: { status: 402, title: 'The cardholder did not pass the card issuer\'s authentication' },
  payment_authentication_expired: { status: 402, title: 'The card issuer\'s authentication was not completed in time; nothing was charged' },
  payment_processing_error: { status: 402, title: 'The card could not be processed; try again' },
  payment_method_invalid: { status: 422, title: 'The payment method is unknown, already used or unusable' },
  payment_refund_invalid: { status: 422, title: 'The charge is unknown or cannot be refunded' },
  payment_gateway_unavailable: { status: 503, title: 'The payment gateway is temporarily unavailable' },
  payment_idempotency_mismatch: { status: 409, title: 'This idempotency key was used for a different payment request' },
});
