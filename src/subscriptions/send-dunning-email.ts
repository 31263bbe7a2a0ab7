import { getCustomer } from '../customers/index.js';
import type { Deps } from '../deps.js';
import { formattingLocale } from '../i18n/index.js';
import type { JobHandler } from '../jobs/index.js';
import { formatMoney } from '../kernel/money.js';
import { sendCustomerEmail, wasNotificationSent } from '../notifications/index.js';
import { planName } from '../pricing/index.js';
import { findCase } from './dunning.js';
import { findSubscription } from './repository.js';

/**
 * Job `send-dunning-email`: tells the owner that a payment failed (with the
 * next retry's date and how to update the card), or that the subscription
 * ended after the last retry; in their language, once per job.
 */
export function sendDunningEmailHandler(deps: Pick<Deps, 'db' | 'vault' | 'email' | 'keys' | 'catalog'>): JobHandler {
  return async (job) => {
    if (await wasNotificationSent(deps.db, job.id)) return;
    const { case_id: caseId, kind, next_retry_at: nextRetry } = job.payload as { case_id: string; kind: 'payment_failed' | 'subscription_ended'; next_retry_at: string | null };
    const c = await findCase(deps.db, caseId);
    if (!c) throw new Error(`dunning case ${caseId} not found`);
    const sub = await findSubscription(deps.db, c.subscription_id);
    const customer = sub ? await getCustomer(deps.db, sub.customer_id, deps.vault) : null;
    if (!sub || !customer) throw new Error(`subscription or customer of ${caseId} not found`);
    const plan = deps.catalog.plans.find((p) => p.id === sub.plan_id);
    const vars = { given_name: customer.given_name, plan_name: plan ? planName(plan, customer.locale) : sub.plan_id };
    const template = kind === 'payment_failed' ? 'payment-failed' : 'subscription-ended';
    const extra = kind === 'payment_failed'
      ? { amount: formatMoney(c.amount, c.currency, formattingLocale(customer.locale)), ...(nextRetry ? { retry_date: new Date(nextRetry) } : {}) }
      : {};
    await sendCustomerEmail(deps, job.id, {
      template, locale: customer.locale, to: customer.email, customerId: customer.id, tenantId: sub.tenant_id, data: { case_id: caseId }, vars: { ...vars, ...extra },
    });
  };
}
