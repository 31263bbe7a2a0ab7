/** Where text messages leave the system. `to` is an E.164 number (`+4915123456789`). */
export interface SmsSender {
  /** Resolves with the provider's message id, or rejects; a rejection that no retry can change is an `SmsSendError` with a `refusal`. */
  send(msg: { to: string; body: string }): Promise<{ messageId: string }>;
  /**
   * Deletes a sent message (its body and number) at the provider, for erasure. A message already gone, or an id the
   * provider does not know, resolves: a retried erasure must not fail on what its first attempt deleted. Anything
   * else rejects, so the caller's job is retried.
   */
  deleteMessage(messageId: string): Promise<void>;
}

/** Refusals that are permanent for this number: retrying only spends money and provider reputation. */
export type SmsRefusal = 'invalid_number' | 'unsubscribed' | 'region_not_permitted';

/**
 * A failed send. `refusal` set: permanent (the job is dead-lettered at once);
 * null: transient (the job is retried). The message never holds the number,
 * the body or a credential.
 */
export class SmsSendError extends Error {
  constructor(
    message: string,
    readonly refusal: SmsRefusal | null,
  ) {
    super(message);
    this.name = 'SmsSendError';
  }
}
