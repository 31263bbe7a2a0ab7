import { recordEvent } from '../audit/index.js';
import { customersConsentingTo } from '../compliance/index.js';
import type { Deps } from '../deps.js';
import { enqueueJob, type JobHandler } from '../jobs/index.js';
import { sendCustomerEmail, wasNotificationSent } from '../notifications/index.js';
import { readCustomer } from './read-subject.js';

/** Queue one marketing send (job `send-marketing-email`), audited; recipients are chosen when it runs. */
export async function scheduleMarketingEmail(deps: Pick<Deps, 'db' | 'worker'>, campaign: string, requestId?: string): Promise<string> {
  const id = await deps.db.transaction(async (tx) => {
    const jobId = await enqueueJob(tx, 'send-marketing-email', { campaign });
    await recordEvent(tx, { action: 'marketing.email_scheduled', actor: { type: 'admin' }, requestId, subject: { type: 'campaign', id: campaign }, data: { job_id: jobId } });
    return jobId;
  });
  deps.worker.nudge();
  return id;
}

/**
 * Job `send-marketing-email`: mail everyone whose marketing_email consent is, right now, given (the newest
 * ledger event per customer). Withdrawn and never-asked customers are not in that set, so they get nothing.
 * Each recipient's delivery is recorded under `<job>:<customer>`, so a retried job skips those already mailed.
 */
export function sendMarketingEmailHandler(deps: Pick<Deps, 'db' | 'email' | 'keys' | 'config' | 'vault'>): JobHandler {
  return async (job) => {
    const { campaign } = job.payload as { campaign: string };
    for (const customerId of await customersConsentingTo(deps.db, 'marketing_email')) {
      const deliveryId = `${job.id}:${customerId}`;
      if (await wasNotificationSent(deps.db, deliveryId)) continue;
      const customer = await readCustomer(deps, customerId);
      if (!customer) continue;
      await sendCustomerEmail(deps, deliveryId, {
        template: 'marketing-news', locale: customer.locale, to: customer.email, customerId, data: { campaign },
        vars: { given_name: customer.given_name, preferences_url: `${deps.config.publicUrl}/app` },
      });
    }
  };
}
