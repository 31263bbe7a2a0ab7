import { getCustomer } from '../customers/index.js';
import type { Deps } from '../deps.js';
import { CODE_POLICY } from '../identity/index.js';
import type { JobHandler } from '../jobs/index.js';
import { open } from '../kernel/crypto.js';
import { sendCustomerEmail, wasNotificationSent } from '../notifications/index.js';

/**
 * Job `send-step-up-email`: unseals the code only at the moment of sending, in the customer's language. The
 * address is read now, but the code was issued for the address of then: if it changed (or the customer was
 * erased, or the session purged), nothing is sent. At-least-once: a recorded delivery is not sent again.
 */
export function sendStepUpEmailHandler(deps: Pick<Deps, 'db' | 'vault' | 'email' | 'keys'>): JobHandler {
  return async (job) => {
    if (await wasNotificationSent(deps.db, job.id)) return;
    const { session_id: sessionId, verification_id: verificationId, sealed_code: sealed } = job.payload as { session_id: string; verification_id: string; sealed_code: string };
    const { rows } = await deps.db.query<{ customer_id: string; issued_to: string; email_hash: string }>(
      `SELECT s.customer_id, v.destination_hash AS issued_to, c.email_hash FROM verification_codes v
         JOIN sessions s ON s.id = v.session_id JOIN customers c ON c.id = s.customer_id
        WHERE v.id = $1 AND v.session_id = $2`,
      [verificationId, sessionId],
    );
    const row = rows[0];
    if (!row || row.issued_to !== row.email_hash) return;
    const customer = await getCustomer(deps.db, row.customer_id, deps.vault);
    if (!customer) return;
    await sendCustomerEmail(deps, job.id, {
      template: 'step-up-code', locale: customer.locale, to: customer.email, customerId: customer.id,
      vars: { code: open(deps.keys.sealing, sealed), minutes: CODE_POLICY.ttlMinutes },
      data: { session_id: sessionId, verification_id: verificationId },
    });
  };
}
