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
}

export const CHANNEL_POLICIES = {
  web: { mayAttestEmailVerification: false, authenticated: false },
  // Partners sign a contract and hold an API key; they verify emails on their side.
  partner: { mayAttestEmailVerification: true, authenticated: true },
} as const satisfies Record<string, ChannelPolicy>;

export type ChannelName = keyof typeof CHANNEL_POLICIES;

export function policyFor(channel: ChannelName): ChannelPolicy {
  return CHANNEL_POLICIES[channel];
}
