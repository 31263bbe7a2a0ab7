import { recordEvent } from '../audit/index.js';
import type { Db } from '../db/index.js';
import { enqueueJob, type JobHandler } from '../jobs/index.js';
import { findGatewayEvent, markPaymentRefunded, markProcessed, upsertDispute } from './repository.js';

/**
 * Job `process-gateway-event`: apply a stored event. Every change is
 * monotonic (a refunded payment is never "succeeded" again; a dispute's status
 * only moves forward), so duplicates and shuffled deliveries end in the same
 * state. Types we do not act on are marked processed; an error throws, and the
 * worker retries or dead-letters the job: nothing is swallowed.
 */
export function processGatewayEventHandler(deps: { db: Db; clock: { now(): Date } }): JobHandler {
  return async (job) => {
    const { event_id: eventId } = job.payload as { event_id: string };
    const event = await findGatewayEvent(deps.db, eventId);
    if (!event) throw new Error(`gateway event ${eventId} is not stored`);
    if (event.processed_at) return;
    const now = deps.clock.now();
    const o = event.payload as Record<string, any>;
    await deps.db.transaction(async (tx) => {
      if (event.type.startsWith('charge.dispute.')) {
        const d = await upsertDispute(tx, {
          id: o.id, gateway: 'stripe', chargeId: String(o.charge), status: String(o.status), amount: Number(o.amount), currency: String(o.currency),
          reason: o.reason ?? null, eventAt: event.created_at, now,
        });
        // A dispute waiting for our answer goes to the responder (it decides once per dispute, whatever the redeliveries).
        if (d.status === 'needs_response' || d.status === 'warning_needs_response') await enqueueJob(tx, 'respond-to-dispute', { dispute_id: o.id });
        await recordEvent(tx, { action: 'dispute.updated', actor: { type: 'system' }, subject: { type: 'dispute', id: o.id }, data: { event_id: eventId, event_type: event.type, status: d.status, charge_id: o.charge } });
      } else if (event.type === 'charge.refunded' && o.refunded === true) {
        // Stripe sends charge.refunded for partial refunds too: only a full refund makes the payment refunded.
        const n = await markPaymentRefunded(tx, String(o.id));
        await recordEvent(tx, { action: 'payment.refund_reported', actor: { type: 'system' }, subject: { type: 'charge', id: o.id }, data: { event_id: eventId, payments_updated: n } });
      }
      await markProcessed(tx, eventId, now);
    });
  };
}
