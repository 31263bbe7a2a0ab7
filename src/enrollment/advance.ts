import type { AuditEvent } from '../audit/index.js';
import type { Queryable } from '../db/index.js';
import type { FlowContext } from './context.js';
import { enrollmentErrors } from './errors.js';
import { FINAL_STATES, nextSteps, transition, type Event } from './machine.js';
import { writeTransition, type Enrollment, type EnrollmentPatch } from './repository.js';

export interface AdvanceInput {
  event: Event;
  patch?: EnrollmentPatch;
  audit: { action: string; data?: Record<string, unknown>; tenantId?: string };
  /** Further audit events written with the transition (completion's customer.created, …). */
  events?: AuditEvent[];
  jobs?: { type: string; payload: Record<string, unknown>; runAt?: Date }[];
  /**
   * Advance is the last statement of `db`, a transaction: it is sent with the COMMIT (one round trip less), and a
   * version conflict rolls the whole transaction back inside the database before it is thrown here.
   */
  last?: true;
}

/**
 * An unfinished enrollment past its expiry. A finished one (completed, rejected) never expires, and neither
 * does one held for review: the customer is waiting on us, and approval gives it a fresh lease.
 */
export function isExpired(e: Enrollment, now: Date): boolean {
  return !FINAL_STATES.includes(e.state) && e.state !== 'pending_review' && e.expires_at.getTime() <= now.getTime();
}

export function assertNotExpired(e: Enrollment, now: Date) {
  if (isExpired(e, now)) throw enrollmentErrors.enrollment_expired({ extra: { enrollment_id: e.id } });
}

/** Throws unless `event` is legal now: expired first, then the transition table. */
export function assertCanAdvance(e: Enrollment, event: Event, now: Date) {
  assertNotExpired(e, now);
  if (!transition(e.state, event)) {
    throw enrollmentErrors.enrollment_invalid_transition({
      detail: `Cannot ${event.replace('_', ' ')} while the enrollment is ${e.state}`,
      extra: { enrollment_id: e.id, state: e.state, allowed: nextSteps(e.state) },
    });
  }
}

/**
 * The only function that changes an enrollment's state. It checks expiry and
 * the transition table, then writes the new state with an optimistic version
 * check together with the transition row, the audit events and the outbox
 * jobs — one statement, all or nothing. Given a transaction, it joins it.
 */
export async function advance(db: Queryable, e: Enrollment, input: AdvanceInput, ctx: FlowContext): Promise<Enrollment> {
  assertCanAdvance(e, input.event, ctx.now);
  const to = transition(e.state, input.event)!;
  const updated = await writeTransition(db, {
    id: e.id,
    expectedVersion: e.version,
    event: input.event,
    from: e.state,
    to,
    patch: input.patch ?? {},
    now: ctx.now,
    requestId: ctx.requestId,
    audit: [
      {
        action: input.audit.action,
        actor: ctx.actor,
        channel: ctx.channel,
        requestId: ctx.requestId,
        subject: { type: 'enrollment', id: e.id },
        tenantId: input.audit.tenantId,
        data: { from: e.state, to, ...input.audit.data },
      },
      ...(input.events ?? []),
    ],
    jobs: input.jobs ?? [],
  }, input.last);
  if (!updated) throw enrollmentErrors.enrollment_conflict({ extra: { enrollment_id: e.id } });
  // The clear profile is never written: the caller's opened view (or the one it just sealed) carries over.
  const patch = input.patch ?? {};
  return {
    ...updated,
    profile: 'profile' in patch ? patch.profile ?? null : e.profile,
    email_normalized: 'email_normalized' in patch ? patch.email_normalized ?? null : e.email_normalized,
  };
}
