import type { Db, Tx, TxScope } from './types.js';

/**
 * The one statement that opens every app-role transaction: role, tenant and system scope, all
 * transaction-local (`set_config(…, true)`), so nothing survives COMMIT or ROLLBACK and a pooled
 * connection (or PGlite's single session) never hands one request's tenant to the next. An empty
 * tenant matches no row: the policies compare with nullif(…, '').
 */
export const OPEN_SCOPE = `SELECT set_config('role', $1, true), set_config('app.tenant_id', $2, true), set_config('app.system', $3, true)`;

export function scopeParams(role: string, scope?: TxScope): [string, string, string] {
  if (scope && 'tenantId' in scope) {
    if (!scope.tenantId) throw new Error('a tenant scope needs a tenant id');
    return [role, scope.tenantId, ''];
  }
  if (scope && 'system' in scope) {
    if (!scope.system) throw new Error('a system scope needs a reason');
    return [role, '', scope.system];
  }
  return [role, '', ''];
}

/**
 * Declare, inside a running transaction, the tenant it works on once it knows it (enrollment
 * completion creates the tenant; a link or webhook names it). From here on the transaction sees
 * that tenant's rows and may write only those.
 */
export async function declareTenant(tx: Tx, tenantId: string): Promise<void> {
  if (!tenantId) throw new Error('declareTenant needs a tenant id');
  tx.defer(`SELECT set_config('app.tenant_id', $1, true), set_config('app.system', '', true)`, [tenantId]);
}

/**
 * A view of `db` whose transactions and plain queries run in `scope` unless a transaction names
 * its own. The composition root hands one to each worker job (`{ system: 'job:<type>' }`) and
 * to admin routes: the cross-tenant reach is granted in one visible place, never by default.
 */
export function scopedDb(db: Db, scope: TxScope): Db {
  return {
    kind: db.kind,
    query: (sql, params) => db.queryInScope(sql, params, scope),
    exec: (sql) => db.exec(sql),
    transaction: (fn, own) => db.transaction(fn, own ?? scope),
    queryInScope: (sql, params, own) => db.queryInScope(sql, params, own),
    asRole: (role) => db.asRole(role),
    close: () => db.close(),
  };
}

/**
 * Inside a tenant's transaction, one named read across tenants (a referral credits the referrer,
 * whose subscription is another tenant's): system scope for `fn` only, then back to the tenant.
 * Costs two statements, only on the rare path that needs it.
 */
export async function acrossTenants<T>(tx: Tx, reason: string, fn: () => Promise<T>): Promise<T> {
  if (!reason) throw new Error('acrossTenants needs a reason');
  await tx.query(`SELECT set_config('app.system', $1, true)`, [reason]);
  try {
    return await fn();
  } finally {
    await tx.query(`SELECT set_config('app.system', '', true)`);
  }
}

/**
 * The same dependencies with `db` scoped (Object.create: everything else is shared, including fields assigned
 * later, such as the worker, or swapped by tests). Jobs get one each (`job:<type>`); so do the data subject's
 * rights, whose rows span tenants.
 */
export function withScopedDb<T extends { db: Db }>(deps: T, scope: TxScope): T {
  return Object.create(deps, { db: { value: scopedDb(deps.db, scope) } }) as T;
}
