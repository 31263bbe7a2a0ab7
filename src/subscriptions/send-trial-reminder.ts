import { getCustomer } from '../customers/index.js';
import type { Deps } from '../deps.js';
import { formattingLocale } from '../i18n/index.js';
import type { JobHandler } from '../jobs/index.js';
import { formatMoney } from '../kernel/money.js';
import { sendCustomerEmail, wasNotificationSent } from '../notifications/index.js';
import { planName } from '../pricing/index.js';
import { periodDiscount } from './renew-subscription.js';
import { findSubscription } from './repository.js';

/** Days before a trial ends that its owner is told what will be charged, and when. */
export const TRIAL_REMINDER_DAYS = 3;

/**
 * Job `send-trial-reminder`, scheduled three days before a trial ends: the
 * owner learns the date, the amount and that the card on file will be charged,
 * in their language. Nothing is sent for a subscription that stopped trialing,
 * and a delivery record makes a retried job send once.
 */
export function sendTrialReminderHandler(deps: Pick<Deps, 'db' | 'vault' | 'email' | 'keys' | 'catalog'>): JobHandler {
  return async (job) => {
    if (await wasNotificationSent(deps.db, job.id)) return;
    const { subscription_id: id } = job.payload as { subscription_id: string };
    const sub = await findSubscription(deps.db, id);
    if (!sub || sub.status !== 'trialing' || !sub.trial_end) return;
    const customer = await getCustomer(deps.db, sub.customer_id, deps.vault);
    if (!customer) throw new Error(`customer ${sub.customer_id} not found`);
    const plan = deps.catalog.plans.find((p) => p.id === sub.plan_id);
    const vars = {
      given_name: customer.given_name,
      plan_name: plan ? planName(plan, customer.locale) : sub.plan_id,
      // What will actually be charged: the first paid invoice carries the customer's discount.
      amount: formatMoney(sub.amount - periodDiscount(sub, sub.amount, true), sub.currency, formattingLocale(customer.locale)),
      due_date: sub.trial_end,
    };
    await sendCustomerEmail(deps, job.id, {
      template: 'trial-ending', locale: customer.locale, to: customer.email, customerId: customer.id, tenantId: sub.tenant_id, data: { subscription_id: sub.id }, vars,
    });
  };
}
