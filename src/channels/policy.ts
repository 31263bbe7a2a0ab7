/**
 * Per-channel trust rules, in one place. The flow asks these questions and
 * never branches on a channel's name, so a new channel is a new row here plus
 * an adapter — not an `if (channel === …)` in the flow.
 */
export interface ChannelPolicy {
  /** May the channel attest that it verified the customer's email itself? */
  mayAttestEmailVerification: boolean;
  /** Does the channel's caller authenticate with a server-side credential? */
  authenticated: boolean;
  /**
   * Is the caller the customer's own client, so that its IP, user agent, device id and timing describe the
   * customer? For a partner they describe the partner's server: the risk engine then screens the customer on
   * what the payload says (email, phone, card, trials), never on the server's IP or speed.
   */
  clientSignals: boolean;
}

export const CHANNEL_POLICIES = {
  web: { mayAttestEmailVerification: false, authenticated: false, clientSignals: true },
  // Partners sign a contract and hold an API key; they verify emails on their side.
  // Partner traffic is still screened (disposable email, email and card velocity, trial abuse, phone vs card
  // country, lists); a challenge or review answers the partner with the code, and it retries the same external_ref.
  partner: { mayAttestEmailVerification: true, authenticated: true, clientSignals: false },
} as const satisfies Record<string, ChannelPolicy>;

export type ChannelName = keyof typeof CHANNEL_POLICIES;

export function policyFor(channel: ChannelName): ChannelPolicy {
  return CHANNEL_POLICIES[channel];
}
