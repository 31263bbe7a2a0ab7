import { getCustomer } from '../customers/index.js';
import type { Deps } from '../deps.js';
import { formattingLocale } from '../i18n/index.js';
import type { JobHandler } from '../jobs/index.js';
import { formatMoney } from '../kernel/money.js';
import { sendCustomerEmail, wasNotificationSent } from '../notifications/index.js';
import { planName } from '../pricing/index.js';
import { listSubscriptions } from '../subscriptions/index.js';
import { issueDashboardLink } from './dashboard-link.js';

/**
 * Job `send-welcome-email`: the payload carries ids only; the one-time link is
 * minted here, at send time, so no job row ever holds a usable secret.
 */
export function sendWelcomeEmailHandler(deps: Pick<Deps, 'db' | 'vault' | 'email' | 'keys' | 'clock' | 'config' | 'catalog'>): JobHandler {
  return async (job) => {
    if (await wasNotificationSent(deps.db, job.id)) return;
    const { customer_id: customerId, tenant_id: tenantId } = job.payload as { customer_id: string; tenant_id: string };
    const customer = await getCustomer(deps.db, customerId, deps.vault);
    if (!customer) throw new Error(`customer ${customerId} not found`);
    const now = deps.clock.now();
    const token = await issueDashboardLink(deps.db, { customerId, tenantId, key: deps.keys.links, now });
    const [subscription] = await listSubscriptions(deps.db, tenantId);
    const plan = deps.catalog.plans.find((p) => p.id === subscription?.plan_id);
    const vars = {
      given_name: customer.given_name,
      tenant_id: tenantId,
      plan_name: plan ? planName(plan, customer.locale) : subscription?.plan_id ?? '',
      dashboard_url: `${deps.config.publicUrl}/app?token=${token}`,
      // The next charge, formatted with Intl in the customer's locale (trial end or the next period).
      ...(subscription && { amount: formatMoney(subscription.amount, subscription.currency, formattingLocale(customer.locale)), due_date: subscription.current_period_end }),
    };
    await sendCustomerEmail(deps, job.id, { template: 'welcome', locale: customer.locale, to: customer.email, customerId, tenantId, vars });
  };
}
