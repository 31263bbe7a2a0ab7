import type { ProfileInput } from '../customers/index.js';
import type { ChannelName } from './policy.js';

/**
 * The canonical enrollment model. Every channel adapter turns its own payload
 * into this; from here on the flow is the same for all of them.
 */
export interface EnrollmentRequest {
  channel: ChannelName;
  locale: string;
  country?: string;
  currency?: string;
  profile: ProfileInput;
  /** The channel's claim that it verified the email; honoured only if its policy allows. */
  emailVerifiedByChannel: boolean;
  plan: { plan_id: string; interval: 'month' | 'year'; currency: string };
  paymentToken: string;
}
