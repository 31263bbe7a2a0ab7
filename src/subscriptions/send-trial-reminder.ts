import { getCustomer } from '../customers/index.js';
import { issueDashboardLink } from '../dashboard/index.js';
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
 * in their language. A trial with no card on file gets another email: nothing
 * will be charged, a link to add a card, and what TRIAL_END_BEHAVIOUR does
 * without one. Nothing is sent for a subscription that stopped trialing, and a
 * delivery record makes a retried job send once.
 */
export function sendTrialReminderHandler(deps: Pick<Deps, 'db' | 'vault' | 'email' | 'keys' | 'catalog' | 'clock' | 'config'>): JobHandler {
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
    const mail = { locale: customer.locale, to: customer.email, customerId: customer.id, tenantId: sub.tenant_id, data: { subscription_id: sub.id } };
    // Read when the job runs, not when it was queued: a card added in the dashboard since then gets the usual reminder.
    if (sub.payment_method_id) return sendCustomerEmail(deps, job.id, { ...mail, template: 'trial-ending', vars });
    // Minted at send time like the welcome link, so no job row holds a usable secret.
    const token = await issueDashboardLink(deps.db, { customerId: customer.id, tenantId: sub.tenant_id, key: deps.keys.links, now: deps.clock.now() });
    await sendCustomerEmail(deps, job.id, {
      ...mail,
      template: 'trial-ending-no-card',
      vars: { ...vars, dashboard_url: `${deps.config.publicUrl}/app?token=${token}`, end_behaviour: deps.config.trialEndBehaviour },
    });
  };
}
