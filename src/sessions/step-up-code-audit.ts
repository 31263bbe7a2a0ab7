import type { AuditEvent } from '../audit/index.js';
import type { CodeFailure, ResendRefusal } from '../identity/index.js';

/** Audit events of the email step-up, on the session: references and counts only, never the code, its hash or the address. */
const base = (s: { id: string; customer_id: string }, requestId?: string) => ({
  actor: { type: 'customer' as const, id: s.customer_id },
  requestId,
  subject: { type: 'session', id: s.id },
});

export function stepUpCodeSentEvent(s: { id: string; customer_id: string }, verificationId: string, requestId?: string): AuditEvent {
  return { ...base(s, requestId), action: 'session.step_up_code_sent', data: { verification_id: verificationId, channel: 'email' } };
}

export function stepUpSendRefusedEvent(s: { id: string; customer_id: string }, r: ResendRefusal, requestId?: string): AuditEvent {
  return { ...base(s, requestId), action: 'session.step_up_code_refused', data: { channel: 'email', reason: r.reason, scope: r.scope ?? null, retry_after_seconds: r.retryAfterSeconds } };
}

/** A wrong, expired or spent code; plus `session.step_up_locked` on the guess that spends the last attempt. */
export function stepUpCodeFailureEvents(s: { id: string; customer_id: string }, f: CodeFailure, requestId?: string): AuditEvent[] {
  const ref = { verification_id: f.verificationId ?? null, channel: 'email' };
  const events: AuditEvent[] = [{ ...base(s, requestId), action: 'session.step_up_failed', data: { ...ref, reason: f.reason, attempts_remaining: f.attemptsRemaining ?? null } }];
  if (f.locked) events.push({ ...base(s, requestId), action: 'session.step_up_locked', data: { ...ref, reason: 'attempt_cap_reached' } });
  return events;
}
