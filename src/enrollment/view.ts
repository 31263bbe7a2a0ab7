import { CONSENT_POLICIES } from '../compliance/index.js';
import { quoteToJson, type Quote } from '../pricing/index.js';
import { isExpired } from './advance.js';
import type { SecondFactor } from '../risk/index.js';
import { FINAL_STATES, nextSteps, stepStatus } from './machine.js';
import type { Enrollment } from './repository.js';

/**
 * What the client must do for the risk engine: only whether a second factor is
 * still needed, and which. Never the score, the decision or the reasons: those
 * would teach a fraudster which signal to change.
 */
export interface RiskView {
  second_factor_required: boolean;
  factors: SecondFactor[];
}

/** The one public shape of an enrollment: state, completed steps, what comes next. */
export function enrollmentView(e: Enrollment, now: Date, quote?: Quote | null, risk: RiskView = { second_factor_required: false, factors: [] }) {
  const expired = isExpired(e, now);
  // The id is the flow's only handle: once the flow is over, it no longer shows personal data.
  const showProfile = !FINAL_STATES.includes(e.state) && !expired;
  return {
    id: e.id,
    object: 'enrollment' as const,
    status: expired ? ('expired' as const) : e.state,
    channel: e.channel,
    locale: e.locale,
    country: e.country,
    currency: e.currency,
    steps: stepStatus(e.state),
    next: expired ? [] : nextSteps(e.state),
    expires_at: e.expires_at.toISOString(),
    created_at: e.created_at.toISOString(),
    consents_required: CONSENT_POLICIES.map((p) => ({ ...p })),
    profile: e.profile && showProfile
      ? { given_name: e.profile.given_name, family_name: e.profile.family_name, email: e.profile.email, phone: e.profile.phone ?? null, country: e.profile.country }
      : null,
    // The evidence (IP, user agent) stays server-side.
    consents: showProfile ? e.consents.map((c) => ({ purpose: c.purpose, granted: c.granted, policy_version: c.policy_version })) : [],
    quote: quote ? quoteToJson(quote) : null,
    payment_method: e.payment_method
      ? { id: e.payment_method.id, brand: e.payment_method.brand, last4: e.payment_method.last4, exp_month: e.payment_method.exp_month, exp_year: e.payment_method.exp_year }
      : null,
    last_decline: e.last_decline,
    risk,
    result: e.result,
  };
}

export type EnrollmentView = ReturnType<typeof enrollmentView>;
