import { getCustomer } from '../customers/index.js';
import { scopedDb } from '../db/index.js';
import type { Deps } from '../deps.js';
import { planName } from '../pricing/index.js';
import { firstTenantOf, getTenant } from '../tenants/index.js';
import { cardOfSubscription, passkeysOfCustomer, subscriptionsOfTenant } from './repository.js';

/** Everything the signed-in owner's dashboard shows, in one read: who, which workspace, what plan and card, which passkeys. */
export async function getMe(deps: Pick<Deps, 'db' | 'catalog' | 'vault'>, customerId: string) {
  const customer = await getCustomer(deps.db, customerId, deps.vault);
  if (!customer) return null;
  const tenantId = await tenantOfPrincipal(deps.db, customerId);
  // The workspace, its subscriptions and their cards are that tenant's rows: read in its scope (row-level security).
  const db = tenantId ? scopedDb(deps.db, { tenantId }) : deps.db;
  const tenant = tenantId ? await getTenant(db, tenantId) : null;
  const subs = tenant ? await subscriptionsOfTenant(db, tenant.id) : [];
  const subscriptions = await Promise.all(subs.map(async (s) => {
    const plan = deps.catalog.plans.find((p) => p.id === s.plan_id);
    return {
      id: s.id, plan_id: s.plan_id, plan_name: plan ? planName(plan, customer.locale) : s.plan_id, status: s.status, interval: s.interval,
      currency: s.currency, amount: Number(s.amount), current_period_end: new Date(s.current_period_end).toISOString(),
      trial_end: s.trial_end ? new Date(s.trial_end).toISOString() : null,
      payment_method: await cardOfSubscription(db, s),
    };
  }));
  const passkeys = (await passkeysOfCustomer(deps.db, customerId)).map((p) => ({
    id: p.id, created_at: new Date(p.created_at).toISOString(), last_used_at: p.last_used_at ? new Date(p.last_used_at).toISOString() : null, backed_up: p.backed_up,
  }));
  return {
    customer: { id: customer.id, given_name: customer.given_name, family_name: customer.family_name, email: customer.email, locale: customer.locale, country: customer.country },
    tenant: tenant ? { id: tenant.id, name: tenant.name, members: tenant.members.map((m) => ({ customer_id: m.customer_id, roles: m.roles })) } : null,
    subscriptions,
    passkeys,
  };
}

/**
 * Which tenant the signed-in customer belongs to: a question across tenants (their membership names it), one
 * named system read of that column; what is shown after it is read in that tenant's scope.
 */
export function tenantOfPrincipal(db: Deps['db'], customerId: string): Promise<string | null> {
  return firstTenantOf(scopedDb(db, { system: 'resolve-principal-tenant' }), customerId);
}
