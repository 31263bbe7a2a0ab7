import { recordEvent } from '../audit/index.js';
import type { Deps } from '../deps.js';
import type { JobHandler } from '../jobs/index.js';
import { deleteSubjectKeys } from '../vault/index.js';
import { clearPersonalRows, completeRequest, findRequest, subjectsOf } from './repository.js';

/**
 * The erasure job: the gateway forgets the cards first (a failure retries the whole job, and each deletion
 * is idempotent), then one transaction shreds the subject keys, which makes every sealed copy unreadable
 * (rows, audit data, job payloads, backups), clears what is left and marks the request done.
 */
export function eraseCustomerHandler(deps: Pick<Deps, 'db' | 'gateway' | 'clock'>): JobHandler {
  return async (job) => {
    const request = await findRequest(deps.db, String(job.payload.erasure_id));
    if (!request || request.status === 'completed') return;
    const { subjects, paymentMethods } = await subjectsOf(deps.db, request.customer_id);
    let cardsDeleted = 0;
    for (const pm of paymentMethods) {
      const r = await deps.gateway.deletePaymentMethod({ paymentMethodId: pm, idempotencyKey: `${request.id}:delete:${pm}` });
      if (r.deleted) cardsDeleted++;
    }
    const now = deps.clock.now();
    await deps.db.transaction(async (tx) => {
      const keys = await deleteSubjectKeys(tx, subjects);
      const rows = await clearPersonalRows(tx, request.customer_id, subjects, now);
      const result = { subject_keys_shredded: keys, payment_methods_deleted: cardsDeleted, ...rows };
      await completeRequest(tx, request.id, now, result);
      await recordEvent(tx, {
        action: 'customer.erased', actor: { type: 'system' }, subject: { type: 'customer', id: request.customer_id },
        data: { erasure_id: request.id, regime: request.regime, ...result },
      });
    });
  };
}
