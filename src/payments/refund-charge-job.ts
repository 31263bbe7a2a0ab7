import { recordEvent } from '../audit/index.js';
import type { Db } from '../db/index.js';
import type { JobHandler } from '../jobs/index.js';
import type { PaymentGateway } from './gateway.js';

/**
 * Job `refund-charge`: gives back a captured charge that no enrollment kept
 * (a race lost to a plan change or to another account with the same address).
 * Through the outbox, so a gateway outage delays the refund instead of losing it;
 * the key is derived from the charge, so a retried job refunds once.
 */
export function refundChargeHandler(deps: { db: Db; gateway: PaymentGateway }): JobHandler {
  return async (job) => {
    const { enrollment_id: enrollmentId, charge_id: chargeId, reason } = job.payload as { enrollment_id: string; charge_id: string; reason: string };
    const refund = await deps.gateway.refund({ chargeId, idempotencyKey: `${enrollmentId}:refund:${chargeId}` });
    await deps.db.transaction((tx) =>
      recordEvent(tx, {
        action: 'payment.refunded',
        actor: { type: 'system' },
        subject: { type: 'enrollment', id: enrollmentId },
        data: { gateway_reference: chargeId, refund_reference: refund.id, reason, job_id: job.id },
      }),
    );
  };
}
