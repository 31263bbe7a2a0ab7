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
    const { customer_id: customerId, tenant_id: tenantId } = job.payload as { customer_id: string; tenant_id: string };
    const now = deps.clock.now();
    // One transaction: its three reads leave together (one round trip), and the link's INSERT, deferred, goes
    // with COMMIT, so the link exists before the email that carries it leaves.
    const ready = await deps.db.transaction(async (tx) => {
      const [sent, customer, [subscription]] = await Promise.all([wasNotificationSent(tx, job.id), getCustomer(tx, customerId, deps.vault), listSubscriptions(tx, tenantId)]);
      if (sent) return null;
      if (!customer) throw new Error(`customer ${customerId} not found`);
      const token = await issueDashboardLink(tx, { customerId, tenantId, key: deps.keys.links, now });
      return { customer, subscription, token };
    });
    if (!ready) return;
    const { customer, subscription, token } = ready;
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
