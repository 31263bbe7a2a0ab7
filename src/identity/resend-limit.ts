import type { Queryable } from '../db/index.js';
import type { CodeOwner } from './code-owner.js';
import { CODE_POLICY } from './code-policy.js';
import { identityErrors } from './errors.js';
import type { CodeChannel } from './issue-code.js';
import { sendStats } from './repository.js';

export type ResendScope = 'enrollment' | 'destination';

/** Why a send is refused, for the audit trail; the client is told only to wait. */
export interface ResendRefusal {
  reason: 'resend_too_soon' | 'resend_cap_reached';
  /** Whose hourly cap: this owner's (enrollment or session, on this channel; named 'enrollment' as audited since before sessions had codes) or the destination's. */
  scope?: ResendScope;
  retryAfterSeconds: number;
}

export interface ResendCheck {
  refusal: ResendRefusal | null;
  /** The caps a send now would reach (it is the last one allowed this hour): that send is the lockout, and is audited as one. */
  capsReachedBySend: ResendScope[];
}

/** Checks the send limits per owner (enrollment or session) and channel, and per destination (address or number) across owners. */
export async function checkResend(db: Queryable, input: { owner: CodeOwner; channel: CodeChannel; destinationHash: string; now: Date }): Promise<ResendCheck> {
  const stats = await sendStats(db, input.owner, input.channel, input.destinationHash, input.now);
  const sinceLast = stats.last ? (input.now.getTime() - new Date(stats.last).getTime()) / 1000 : Infinity;
  const capped: ResendScope | null =
    stats.in_hour >= CODE_POLICY.maxSendsPerHour ? 'enrollment' : stats.to_destination >= CODE_POLICY.maxSendsPerDestinationPerHour ? 'destination' : null;
  if (capped) return { refusal: { reason: 'resend_cap_reached', scope: capped, retryAfterSeconds: 3600 }, capsReachedBySend: [] };
  if (sinceLast < CODE_POLICY.resendIntervalSeconds) {
    return { refusal: { reason: 'resend_too_soon', retryAfterSeconds: Math.ceil(CODE_POLICY.resendIntervalSeconds - sinceLast) }, capsReachedBySend: [] };
  }
  const capsReachedBySend: ResendScope[] = [];
  if (stats.in_hour + 1 >= CODE_POLICY.maxSendsPerHour) capsReachedBySend.push('enrollment');
  if (stats.to_destination + 1 >= CODE_POLICY.maxSendsPerDestinationPerHour) capsReachedBySend.push('destination');
  return { refusal: null, capsReachedBySend };
}

/** The client's answer to a refused send: 429 with Retry-After, never which cap (a destination cap would tell that others sent to it). */
export function resendLimitedError(r: ResendRefusal) {
  return identityErrors.identity_resend_limited({ headers: { 'retry-after': String(r.retryAfterSeconds) }, extra: { retry_after_seconds: r.retryAfterSeconds } });
}
