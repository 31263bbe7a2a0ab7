import type { Db } from './types.js';

/**
 * Start-up refuses an app role that row-level security would not bind: a superuser or a
 * BYPASSRLS role would make every tenant policy decorative. Asked inside a transaction of the app
 * view, so it checks the role the app really runs as (current_user after the switch).
 */
export async function assertConfinedRole(db: Db): Promise<void> {
  const row = await db.transaction(async (tx) => {
    const { rows } = await tx.query<{ role: string; rolsuper: boolean; rolbypassrls: boolean }>(
      'SELECT current_user AS role, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user',
    );
    return rows[0];
  });
  if (!row) throw Object.assign(new Error('the database app role does not exist'), { code: 'db_role_unconfined' });
  if (row.rolsuper || row.rolbypassrls) throw Object.assign(new Error(`refusing to run as database role ${row.role}: it bypasses row-level security (superuser or BYPASSRLS)`), { code: 'db_role_unconfined' });
}
