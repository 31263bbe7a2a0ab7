import type { Db } from '../db/index.js';
import { httpErrors } from '../http/errors.js';
import { memberPermissions } from '../tenants/index.js';
import { subscriptionErrors } from './errors.js';
import { findSubscription, type SubscriptionRow } from './repository.js';

/**
 * The subscription, if the customer is a member of its tenant with `permission`.
 * A non-member learns nothing (404, as for a missing one); a member without the
 * permission is told so (403).
 */
export async function loadSubscriptionForMember(db: Db, id: string, customerId: string, permission: string): Promise<SubscriptionRow> {
  // Which tenant holds the subscription is a question across tenants: the one system lookup, by name,
  // reads only that column; the subscription and the membership are then read in that tenant's scope.
  const owner = await db.transaction(async (tx) => (await tx.query<{ tenant_id: string }>('SELECT tenant_id FROM subscriptions WHERE id = $1', [id])).rows[0], { system: 'resolve-subscription-tenant' });
  const found = owner
    ? await db.transaction(async (tx) => {
        const sub = await findSubscription(tx, id);
        return { sub, perms: sub ? await memberPermissions(tx, sub.tenant_id, customerId) : null };
      }, { tenantId: owner.tenant_id })
    : null;
  const sub = found?.sub;
  const perms = found?.perms;
  if (!sub || !perms) throw subscriptionErrors.subscription_not_found();
  if (!perms.includes(permission)) throw httpErrors.auth_forbidden({ extra: { required_permission: permission } });
  return sub;
}
