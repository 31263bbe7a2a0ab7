import { recordEvent } from '../audit/index.js';
import type { Deps } from '../deps.js';
import type { JobHandler } from '../jobs/index.js';
import { deleteSubjectKeys } from '../vault/index.js';
import { deleteSmsMessages } from './delete-sms-messages.js';
import { clearPersonalRows, completeRequest, findRequest, subjectsOf } from './repository.js';

/**
 * The erasure job: the gateway forgets the cards and its customers, and the SMS provider the texts sent to the person,
 * first (a failure retries the whole job, and each deletion is idempotent), then one transaction shreds the subject keys,
 * which makes every sealed copy unreadable (rows, audit data, job payloads, backups), clears what is left and marks the request done.
 */
export function eraseCustomerHandler(deps: Pick<Deps, 'db' | 'gateway' | 'clock' | 'sms' | 'vault' | 'keys'>): JobHandler {
  return async (job) => {
    const request = await findRequest(deps.db, String(job.payload.erasure_id));
    if (!request || request.status === 'completed') return;
    const { subjects, paymentMethods, gatewayCustomers } = await subjectsOf(deps.db, request.customer_id);
    let cardsDeleted = 0;
    for (const pm of paymentMethods) {
      const r = await deps.gateway.deletePaymentMethod({ paymentMethodId: pm, idempotencyKey: `${request.id}:delete:${pm}` });
      if (r.deleted) cardsDeleted++;
    }
    let customersDeleted = 0;
    for (const c of gatewayCustomers) {
      const r = await deps.gateway.deleteCustomer({ customerId: c, idempotencyKey: `${request.id}:delete:${c}` });
      if (r.deleted) customersDeleted++;
    }
    // Before the shredding: the numbers are read from the sealed profiles.
    const smsDeleted = await deleteSmsMessages(deps, request.customer_id, subjects);
    const now = deps.clock.now();
    await deps.db.transaction(async (tx) => {
      const keys = await deleteSubjectKeys(tx, subjects);
      const rows = await clearPersonalRows(tx, request.customer_id, subjects, now);
      const result = { subject_keys_shredded: keys, payment_methods_deleted: cardsDeleted, gateway_customers_deleted: customersDeleted, sms_messages_deleted: smsDeleted, ...rows };
      await completeRequest(tx, request.id, now, result);
      await recordEvent(tx, {
        action: 'customer.erased', actor: { type: 'system' }, subject: { type: 'customer', id: request.customer_id },
        data: { erasure_id: request.id, regime: request.regime, ...result },
      });
    });
  };
}
