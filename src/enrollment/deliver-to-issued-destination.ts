import { recordEvent } from '../audit/index.js';
import type { Deps } from '../deps.js';
import { hmac } from '../kernel/crypto.js';
import { recordNotificationSent, wasNotificationSent } from '../notifications/index.js';
import { findEnrollment, type Enrollment } from './repository.js';

export interface IssuedDelivery {
  channel: 'email' | 'sms';
  template: string;
  /** Where the profile points now: the address to send to, and the value its destination hash is made of. */
  destinationOf(e: Enrollment): { to: string; hashed: string } | null;
  send(e: Enrollment, to: string): Promise<{ messageId: string }>;
}

/**
 * The shared body of the code and notice jobs. The destination is read at
 * send time, but the code was issued for the destination of then: if the
 * profile changed in between, nothing is sent (else a notice meant for an
 * address owner, or a code, would reach whoever edited the profile).
 * At-least-once: a job that recorded its delivery does not send again.
 */
export async function deliverToIssuedDestination(
  deps: Pick<Deps, 'db' | 'keys' | 'vault'>,
  job: { id: string; payload: { enrollment_id: string; verification_id: string } },
  d: IssuedDelivery,
): Promise<void> {
  const enrollmentId = job.payload.enrollment_id;
  // The three reads in one transaction, sent together with its COMMIT (the last one is Tx.last): one round trip instead of three.
  const [alreadySent, e, issued] = await deps.db.transaction((tx) =>
    Promise.all([
      wasNotificationSent(tx, job.id),
      findEnrollment(tx, enrollmentId, deps.vault),
      tx.last<{ destination_hash: string }>('SELECT destination_hash FROM verification_codes WHERE id = $1', [job.payload.verification_id]),
    ]),
  );
  if (alreadySent) return;
  if (!e?.profile) throw new Error(`enrollment ${enrollmentId} has no profile`);
  const destination = d.destinationOf(e);
  const data = { template: d.template, job_id: job.id };
  if (!destination || issued.rows[0]?.destination_hash !== hmac(deps.keys.lookup, destination.hashed)) {
    await deps.db.transaction((tx) =>
      recordEvent(tx, { action: `notification.${d.channel}_skipped`, actor: { type: 'system' }, subject: { type: 'enrollment', id: enrollmentId }, data: { ...data, reason: 'destination_changed' } }),
    );
    return;
  }
  const sent = await d.send(e, destination.to);
  await recordNotificationSent(deps.db, {
    jobId: job.id,
    channel: d.channel,
    template: d.template,
    to: destination.to,
    providerMessageId: sent.messageId,
    key: deps.keys.lookup,
    audit: {
      action: `notification.${d.channel}_sent`,
      actor: { type: 'system' },
      subject: { type: 'enrollment', id: enrollmentId },
      data: { ...data, provider_message_id: sent.messageId },
    },
  });
}
