import type { AuditEvent } from '../audit/index.js';
import type { CodeChannel, CodeFailure, ResendRefusal, ResendScope, SmsDestinationRefusal } from '../identity/index.js';
import type { FlowContext } from './context.js';

/**
 * Audit events for one-time codes: refusals and lockouts, with their reasons.
 * References and counts only: never the code, its hash, or the destination.
 */
const base = (enrollmentId: string, ctx: FlowContext) => ({
  actor: ctx.actor,
  channel: ctx.channel,
  requestId: ctx.requestId,
  subject: { type: 'enrollment', id: enrollmentId },
});

/** A wrong, expired or spent code; plus `verification.locked` on the guess that spends the last attempt. */
export function codeFailureEvents(enrollmentId: string, f: CodeFailure, ctx: FlowContext): AuditEvent[] {
  const ref = { verification_id: f.verificationId ?? null, channel: f.channel ?? null };
  const events: AuditEvent[] = [
    { ...base(enrollmentId, ctx), action: 'verification.failed', data: { ...ref, reason: f.reason, attempts_remaining: f.attemptsRemaining ?? null } },
  ];
  if (f.locked) events.push({ ...base(enrollmentId, ctx), action: 'verification.locked', data: { ...ref, reason: 'attempt_cap_reached' } });
  return events;
}

/** A send refused by a limit, or because the number may not get an SMS. */
export function sendRefusedEvent(enrollmentId: string, channel: CodeChannel, r: ResendRefusal | { reason: SmsDestinationRefusal }, ctx: FlowContext): AuditEvent {
  const limit = 'retryAfterSeconds' in r ? { scope: r.scope ?? null, retry_after_seconds: r.retryAfterSeconds } : {};
  return { ...base(enrollmentId, ctx), action: 'verification.send_refused', data: { channel, reason: r.reason, ...limit } };
}

/** The send that reaches an hourly cap locks further sends: the lockout is audited when it happens. */
export function sendCapReachedEvents(enrollmentId: string, channel: CodeChannel, scopes: ResendScope[], ctx: FlowContext): AuditEvent[] {
  return scopes.map((scope) => ({ ...base(enrollmentId, ctx), action: 'verification.locked', data: { channel, reason: 'resend_cap_reached', scope } }));
}
