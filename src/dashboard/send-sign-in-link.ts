import { getCustomer } from '../customers/index.js';
import type { Deps } from '../deps.js';
import type { JobHandler } from '../jobs/index.js';
import { sendCustomerEmail, wasNotificationSent } from '../notifications/index.js';
import { issueDashboardLink } from './dashboard-link.js';
import { findOwnedTenant } from './repository.js';

/** A link asked for now is used now: half an hour, not the welcome link's day. */
export const SIGN_IN_LINK_TTL_MINUTES = 30;

/** Job `send-sign-in-link`: mints the one-time link at send time (the payload holds the customer's id only) and emails it. */
export function sendSignInLinkHandler(deps: Pick<Deps, 'db' | 'vault' | 'email' | 'keys' | 'clock' | 'config'>): JobHandler {
  return async (job) => {
    if (await wasNotificationSent(deps.db, job.id)) return;
    const { customer_id: customerId } = job.payload as { customer_id: string };
    const customer = await getCustomer(deps.db, customerId, deps.vault);
    const tenantId = customer && (await findOwnedTenant(deps.db, customerId));
    if (!customer || !tenantId) return; // erased since it was asked for: nobody to write to
    const token = await issueDashboardLink(deps.db, { customerId, tenantId, key: deps.keys.links, now: deps.clock.now(), ttlMinutes: SIGN_IN_LINK_TTL_MINUTES });
    await sendCustomerEmail(deps, job.id, {
      template: 'sign-in-link',
      locale: customer.locale,
      to: customer.email,
      customerId,
      tenantId,
      vars: { given_name: customer.given_name, dashboard_url: `${deps.config.publicUrl}/app?token=${token}`, minutes: SIGN_IN_LINK_TTL_MINUTES },
    });
  };
}
