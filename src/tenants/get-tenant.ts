import type { Queryable } from '../db/index.js';

export interface TenantView {
  id: string;
  name: string;
  owner_customer_id: string;
  created_at: string;
  roles: { name: string; permissions: string[] }[];
  members: { customer_id: string; roles: string[]; permissions: string[] }[];
}

/** The tenant with its roles and members; a member's permissions are the union of their roles'. */
export async function getTenant(db: Queryable, id: string): Promise<TenantView | null> {
  const t = await db.query<{ id: string; name: string; owner_customer_id: string; created_at: Date }>('SELECT id, name, owner_customer_id, created_at FROM tenants WHERE id = $1', [id]);
  if (!t.rows[0]) return null;
  const roles = await db.query<{ name: string; permissions: string[] }>('SELECT name, permissions FROM roles WHERE tenant_id = $1 ORDER BY name', [id]);
  const members = await db.query<{ customer_id: string; roles: string[]; permissions: string[] }>(
    `SELECT m.customer_id, array_agg(DISTINCT r.name ORDER BY r.name) AS roles,
            array(SELECT DISTINCT p FROM unnest(array_agg(r.permissions)) AS p ORDER BY p) AS permissions
     FROM memberships m JOIN membership_roles mr ON mr.membership_id = m.id JOIN roles r ON r.id = mr.role_id
     WHERE m.tenant_id = $1 GROUP BY m.customer_id, m.created_at ORDER BY m.created_at`,
    [id],
  );
  return { ...t.rows[0], created_at: t.rows[0].created_at.toISOString(), roles: roles.rows, members: members.rows };
}

export async function isMember(db: Queryable, tenantId: string, customerId: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM memberships WHERE tenant_id = $1 AND customer_id = $2', [tenantId, customerId]);
  return rowCount > 0;
}

/** The first tenant a customer belongs to (the one their enrollment created). */
export async function firstTenantOf(db: Queryable, customerId: string): Promise<string | null> {
  const { rows } = await db.query<{ tenant_id: string }>('SELECT tenant_id FROM memberships WHERE customer_id = $1 ORDER BY created_at LIMIT 1', [customerId]);
  return rows[0]?.tenant_id ?? null;
}

/** A member's permissions in a tenant (the union of their roles'), or null when they are not a member. */
export async function memberPermissions(db: Queryable, tenantId: string, customerId: string): Promise<string[] | null> {
  const { rows } = await db.query<{ permissions: string[] | null }>(
    `SELECT array(SELECT DISTINCT p FROM unnest(array_agg(r.permissions)) AS p ORDER BY p) AS permissions
       FROM memberships m LEFT JOIN membership_roles mr ON mr.membership_id = m.id LEFT JOIN roles r ON r.id = mr.role_id
      WHERE m.tenant_id = $1 AND m.customer_id = $2 GROUP BY m.id`,
    [tenantId, customerId],
  );
  return rows[0] ? (rows[0].permissions ?? []).filter(Boolean) : null;
}
