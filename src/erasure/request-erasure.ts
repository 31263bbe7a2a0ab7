import { recordEvent } from '../audit/index.js';
import type { Deps } from '../deps.js';
import { enqueueJob } from '../jobs/index.js';
import { newId } from '../kernel/ids.js';
import { revokeCustomerSessions } from '../sessions/index.js';
import { erasureDeadline, regimeFor, type Regime } from './deadline.js';
import { erasureErrors } from './errors.js';
import { findOpenRequest, insertRequest, lockLiveCustomer, type ErasureRequest } from './repository.js';

/**
 * Record an erasure request with its statutory deadline and queue the erasure itself (a durable job).
 * The customer's sessions end in this same transaction: the cookie stops working before the 202 is sent,
 * whatever the job's latency. A second request while one is open returns the open one.
 */
export async function requestErasure(
  deps: Pick<Deps, 'db'>,
  input: { customerId: string; regime?: Regime; requestedBy: 'admin' | 'customer'; requestId?: string; now: Date },
): Promise<ErasureRequest> {
  return deps.db.transaction(async (tx) => {
    const customer = await lockLiveCustomer(tx, input.customerId);
    if (!customer) throw erasureErrors.erasure_customer_not_found();
    const open = await findOpenRequest(tx, customer.id);
    if (open) return open;
    const regime = input.regime ?? regimeFor(customer.country);
    const request = await insertRequest(tx, {
      id: newId('era', input.now.getTime()), customer_id: customer.id, regime, requested_by: input.requestedBy,
      requested_at: input.now, due_at: erasureDeadline(regime, input.now), requestId: input.requestId,
    });
    await revokeCustomerSessions(tx, { customerId: customer.id, now: input.now, reason: 'erasure', requestId: input.requestId });
    await enqueueJob(tx, 'erase-customer', { erasure_id: request.id });
    await recordEvent(tx, {
      action: 'erasure.requested', actor: input.requestedBy === 'admin' ? { type: 'admin' } : { type: 'customer', id: customer.id },
      requestId: input.requestId, subject: { type: 'customer', id: customer.id },
      data: { erasure_id: request.id, regime, due_at: request.due_at.toISOString() },
    });
    return request;
  });
}
