import { recordEvent } from '../audit/index.js';
import type { Db } from '../db/index.js';
import { enqueueJob, type JobHandler } from '../jobs/index.js';
import { recordGatewayRefund, type PaymentGateway } from '../payments/index.js';
import { findDisputeState, findGatewayEvent, markProcessed, upsertDispute } from './repository.js';

/**
 * Job `process-gateway-event`: apply a stored event. Every change is
 * monotonic (a refunded payment is never "succeeded" again; a dispute's status
 * only moves forward), so duplicates and shuffled deliveries end in the same
 * state. Types we do not act on are marked processed; an error throws, and the
 * worker retries or dead-letters the job: nothing is swallowed.
 */
export function processGatewayEventHandler(deps: { db: Db; clock: { now(): Date }; gateway?: Pick<PaymentGateway, 'retrieveDispute'> }): JobHandler {
  return async (job) => {
    const { event_id: eventId } = job.payload as { event_id: string };
    const event = await findGatewayEvent(deps.db, eventId);
    if (!event) throw new Error(`gateway event ${eventId} is not stored`);
    if (event.processed_at) return;
    const now = deps.clock.now();
    const o = event.payload as Record<string, any>;
    const isDispute = event.type.startsWith('charge.dispute.');
    // In doubt, ask the gateway (before the transaction: no network call holds a lock).
    const doubt = isDispute ? await disputeInDoubt(deps.db, event, o) : null;
    const fresh = doubt && deps.gateway?.retrieveDispute ? await deps.gateway.retrieveDispute(String(o.id)) : undefined;
    await deps.db.transaction(async (tx) => {
      if (isDispute && fresh === null) {
        // The gateway does not know this dispute: nothing to apply, and said so in the audit trail.
        await recordEvent(tx, { action: 'dispute.unknown_at_gateway', actor: { type: 'system' }, subject: { type: 'dispute', id: String(o.id) }, data: { event_id: eventId, doubt } });
      } else if (isDispute) {
        // The fresh read is the state as of now; otherwise the event's object as of its creation.
        const src = fresh
          ? { chargeId: fresh.chargeId, status: fresh.status, amount: fresh.amount, currency: fresh.currency, reason: fresh.reason, eventAt: now }
          : { chargeId: String(o.charge), status: String(o.status), amount: Number(o.amount), currency: String(o.currency), reason: o.reason ?? null, eventAt: event.created_at };
        const d = await upsertDispute(tx, { id: o.id, gateway: 'stripe', ...src, now });
        // A dispute waiting for our answer goes to the responder (it decides once per dispute, whatever the redeliveries).
        if (d.status === 'needs_response' || d.status === 'warning_needs_response') await enqueueJob(tx, 'respond-to-dispute', { dispute_id: o.id });
        await recordEvent(tx, { action: 'dispute.updated', actor: { type: 'system' }, subject: { type: 'dispute', id: o.id }, data: { event_id: eventId, event_type: event.type, status: d.status, charge_id: src.chargeId, refetched: fresh ? doubt : null } });
      } else if (event.type === 'charge.refunded' && (o.refunded === true || partialRefund(o) !== null)) {
        // Stripe sends charge.refunded for partial refunds too, with the cumulative amount_refunded: that amount is
        // recorded, and only a full refund makes the payment refunded. Reconciliation records a missed one the same way.
        const amount = partialRefund(o);
        const r = await recordGatewayRefund(tx, String(o.id), o.refunded === true ? 'all' : amount!);
        await recordEvent(tx, {
          action: 'payment.refund_reported', actor: { type: 'system' }, subject: { type: 'charge', id: o.id },
          data: { event_id: eventId, payments_updated: r ? 1 : 0, amount_refunded: r?.after ?? amount, full: o.refunded === true },
        });
      }
      await markProcessed(tx, eventId, now);
    });
  };
}

/**
 * Why an event's dispute should be re-read from the gateway, if it should: an
 * event older than the state we hold (a late delivery), a dispute we first hear
 * of past its opening (events were missed), or an object without its fields.
 */
async function disputeInDoubt(db: Db, event: { created_at: Date }, o: Record<string, any>): Promise<string | null> {
  if (o.status === undefined || o.amount === undefined || o.charge === undefined) return 'thin_object';
  const stored = await findDisputeState(db, String(o.id));
  if (stored && event.created_at < stored.status_event_at) return 'older_than_stored';
  if (!stored && !OPENING.includes(String(o.status))) return 'unknown_object';
  return null;
}

/** A charge object's cumulative refunded amount when it is a usable positive integer, else null. */
function partialRefund(o: Record<string, any>): number | null {
  return Number.isSafeInteger(o.amount_refunded) && o.amount_refunded > 0 ? (o.amount_refunded as number) : null;
}

/** The statuses a dispute is opened in: anything else first seen means we missed its beginning. */
const OPENING = ['needs_response', 'warning_needs_response'];
