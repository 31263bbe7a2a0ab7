import type { Queryable } from '../db/index.js';
import type { EmailTransport } from './email-transport.js';
import { recordNotificationSent } from './repository.js';
import { renderEmail, type EmailTemplate } from './templates.js';

/**
 * Render one email in the customer's language, send it, and record the
 * delivery with its audit row (the record is what makes a retried job skip
 * it: check `wasNotificationSent` first). Shared by the jobs that write to a
 * customer: welcome, trial reminder, dunning.
 */
export async function sendCustomerEmail(
  deps: { db: Queryable; email: EmailTransport; keys: { lookup: Buffer } },
  jobId: string,
  m: { template: EmailTemplate; locale: string; to: string; vars: Record<string, string | number | Date>; customerId: string; tenantId?: string; data?: Record<string, unknown> },
): Promise<void> {
  const sent = await deps.email.send({ to: m.to, ...renderEmail(m.template, m.locale, m.vars) });
  await recordNotificationSent(deps.db, {
    jobId,
    template: m.template,
    to: m.to,
    providerMessageId: sent.messageId,
    key: deps.keys.lookup,
    audit: {
      action: 'notification.email_sent',
      actor: { type: 'system' },
      subject: { type: 'customer', id: m.customerId },
      tenantId: m.tenantId,
      data: { template: m.template, job_id: jobId, provider_message_id: sent.messageId, ...m.data },
    },
  });
}
