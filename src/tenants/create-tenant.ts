import type { Tx } from '../db/index.js';
import { newId } from '../kernel/ids.js';
import { DEFAULT_ROLES, type RoleName } from './default-roles.js';

/** Create a tenant with its default roles and the owner's membership, inside the completion transaction. */
export async function createTenant(tx: Tx, input: { ownerCustomerId: string; enrollmentId: string; name: string; now: Date }): Promise<{ tenantId: string; membershipId: string }> {
  const tenantId = newId('ten', input.now.getTime());
  await tx.query(`INSERT INTO tenants (id, name, owner_customer_id, enrollment_id, created_at) VALUES ($1, $2, $3, $4, $5)`, [
    tenantId, input.name, input.ownerCustomerId, input.enrollmentId, input.now,
  ]);
  const roleIds = {} as Record<RoleName, string>;
  for (const [name, permissions] of Object.entries(DEFAULT_ROLES) as [RoleName, readonly string[]][]) {
    roleIds[name] = newId('rol');
    await tx.query(`INSERT INTO roles (id, tenant_id, name, permissions) VALUES ($1, $2, $3, $4)`, [roleIds[name], tenantId, name, permissions]);
  }
  const membershipId = newId('mem');
  await tx.query(`INSERT INTO memberships (id, tenant_id, customer_id, created_at) VALUES ($1, $2, $3, $4)`, [membershipId, tenantId, input.ownerCustomerId, input.now]);
  await tx.query(`INSERT INTO membership_roles (membership_id, role_id, tenant_id) VALUES ($1, $2, $3)`, [membershipId, roleIds.owner, tenantId]);
  return { tenantId, membershipId };
}
