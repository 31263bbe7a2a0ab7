import type { Queryable } from '../db/index.js';
import { httpErrors } from '../http/errors.js';
import { memberPermissions } from '../tenants/index.js';
import { subscriptionErrors } from './errors.js';
import { findSubscription, type SubscriptionRow } from './repository.js';

/**
 * The subscription, if the customer is a member of its tenant with `permission`.
 * A non-member learns nothing (404, as for a missing one); a member without the
 * permission is told so (403).
 */
export async function loadSubscriptionForMember(db: Queryable, id: string, customerId: string, permission: string): Promise<SubscriptionRow> {
  const sub = await findSubscription(db, id);
  const perms = sub ? await memberPermissions(db, sub.tenant_id, customerId) : null;
  if (!sub || !perms) throw subscriptionErrors.subscription_not_found();
  if (!perms.includes(permission)) throw httpErrors.auth_forbidden({ extra: { required_permission: permission } });
  return sub;
}
