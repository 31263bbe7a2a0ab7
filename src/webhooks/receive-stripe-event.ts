import { recordEvent } from '../audit/index.js';
import type { Db } from '../db/index.js';
import { enqueueJob } from '../jobs/index.js';
import { insertGatewayEvent } from './repository.js';
import { verifyStripeEvent } from './verify-stripe-event.js';

/**
 * Verify, store once, queue, answer. The event row and its processing job are
 * written in one transaction before the 2xx, so an acknowledged event is never
 * lost; a redelivery (same event id) is acknowledged and changes nothing.
 */
export async function receiveStripeEvent(
  deps: { db: Db },
  input: { rawBody: string; signature: string | undefined; secret: string; now: Date; requestId?: string },
): Promise<{ id: string; duplicate: boolean }> {
  const event = verifyStripeEvent(input.rawBody, input.signature, input.secret, input.now);
  const duplicate = !(await deps.db.transaction(async (tx) => {
    const fresh = await insertGatewayEvent(tx, {
      id: event.id, gateway: 'stripe', type: event.type, createdAt: new Date(event.created * 1000), payload: event.data.object, now: input.now,
    });
    if (!fresh) return false;
    await enqueueJob(tx, 'process-gateway-event', { event_id: event.id });
    await recordEvent(tx, {
      action: 'webhook.received', actor: { type: 'system' }, requestId: input.requestId,
      subject: { type: 'gateway_event', id: event.id }, data: { gateway: 'stripe', type: event.type },
    });
    return true;
  }));
  return { id: event.id, duplicate };
}
