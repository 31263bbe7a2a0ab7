import { declareTenant, type Tx } from '../db/index.js';
import { newId } from '../kernel/ids.js';
import { DEFAULT_ROLES } from './default-roles.js';

/**
 * Create a tenant with its default roles and the owner's membership (role
 * `owner`), inside the completion transaction, in one statement.
 */
export async function createTenant(tx: Tx, input: { ownerCustomerId: string; enrollmentId: string; name: string; now: Date }): Promise<{ tenantId: string; membershipId: string }> {
  const tenantId = newId('ten', input.now.getTime());
  // The completion transaction learns its tenant here: from now on it sees and writes only this tenant's rows.
  await declareTenant(tx, tenantId);
  const membershipId = newId('mem');
  const params: unknown[] = [tenantId, input.name, input.ownerCustomerId, input.enrollmentId, input.now, membershipId];
  let ownerRole = '';
  const roleRows = Object.entries(DEFAULT_ROLES).map(([name, permissions]) => {
    const id = newId('rol');
    if (name === 'owner') ownerRole = id;
    params.push(id, name, permissions);
    const n = params.length;
    return `($${n - 2}, $1, $${n - 1}, $${n}::text[])`;
  });
  params.push(ownerRole);
  tx.defer(
    `WITH t AS (INSERT INTO tenants (id, name, owner_customer_id, enrollment_id, created_at) VALUES ($1, $2, $3, $4, $5)),
          r AS (INSERT INTO roles (id, tenant_id, name, permissions) VALUES ${roleRows.join(', ')}),
          m AS (INSERT INTO memberships (id, tenant_id, customer_id, created_at) VALUES ($6, $1, $3, $5))
     INSERT INTO membership_roles (membership_id, role_id, tenant_id) VALUES ($6, $${params.length}, $1)`,
    params,
  );
  return { tenantId, membershipId };
}
