import { paymentErrors } from './errors.js';

export type DeclineAdvice = 'try_another_card' | 'retry_later' | 'check_card_details' | 'authenticate';

/**
 * Gateway decline codes → our stable problem. Soft declines may succeed on a
 * retry; hard ones need another card. The advice tells the UI which button to show.
 */
const DECLINES: Record<string, { soft: boolean; advice: DeclineAdvice }> = {
  generic_decline: { soft: false, advice: 'try_another_card' },
  card_declined: { soft: false, advice: 'try_another_card' },
  insufficient_funds: { soft: true, advice: 'try_another_card' },
  expired_card: { soft: false, advice: 'try_another_card' },
  incorrect_cvc: { soft: false, advice: 'check_card_details' },
  processing_error: { soft: true, advice: 'retry_later' },
  // The issuer wants the cardholder: soft, since the same card passes once they authenticate (customer present).
  authentication_required: { soft: true, advice: 'authenticate' },
  // The cardholder failed (or refused) the challenge: this card will not pay for this attempt.
  authentication_failed: { soft: false, advice: 'try_another_card' },
  // The challenge was left unanswered past its deadline: nothing was wrong with the card, the next attempt opens a new one.
  authentication_expired: { soft: true, advice: 'authenticate' },
  // Ours, not a gateway's: a subscription with no card on file (a trial started without one). Only a card helps.
  no_payment_method: { soft: false, advice: 'try_another_card' },
};

export function classifyDecline(declineCode: string) {
  return DECLINES[declineCode] ?? { soft: false, advice: 'try_another_card' as const };
}

/**
 * processing_error is the gateway's failure, not the card's; authentication_expired is the clock's (the
 * cardholder did not answer in time): either way the card stays attached for the next attempt.
 */
export function keepsCard(declineCode: string): boolean {
  return declineCode === 'processing_error' || declineCode === 'authentication_expired';
}

// Declines the cardholder can act on get their own code, so a client shows the right advice without parsing
// decline_code; every other decline stays payment_card_declined with the gateway's decline_code.
const CODED: Record<string, typeof paymentErrors.payment_card_declined> = {
  insufficient_funds: paymentErrors.payment_insufficient_funds,
  expired_card: paymentErrors.payment_card_expired,
  incorrect_cvc: paymentErrors.payment_incorrect_cvc,
  processing_error: paymentErrors.payment_processing_error,
  authentication_required: paymentErrors.payment_authentication_required,
  authentication_failed: paymentErrors.payment_authentication_failed,
  authentication_expired: paymentErrors.payment_authentication_expired,
};

/** The problem for a decline: its own code where one exists, else payment_card_declined with the gateway's decline code. */
export function declineError(declineCode: string, more: Record<string, unknown> = {}) {
  const { soft, advice } = classifyDecline(declineCode);
  const extra = { decline_code: declineCode, soft, advice, ...more };
  return (CODED[declineCode] ?? paymentErrors.payment_card_declined)({ extra });
}
