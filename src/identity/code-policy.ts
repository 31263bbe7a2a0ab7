/** One place for the one-time-code rules the issue fixes. */
export const CODE_POLICY = {
  length: 6,
  ttlMinutes: 10,
  maxAttempts: 5,
  /**
   * Spacing between sends, and a ceiling per rolling hour, per enrollment and per channel: mail bombing and SMS
   * pumping. Per channel, so five texts (a phone that never receives them, say) do not lock out the email code.
   */
  resendIntervalSeconds: 30,
  maxSendsPerHour: 5,
  /** Across all enrollments: new enrollments are free, so without this one address or number could be bombed (or SMS-pumped). */
  maxSendsPerDestinationPerHour: 10,
} as const;
