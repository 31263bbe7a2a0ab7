export type { Db, Tx, TxScope, Queryable, QueryResult } from './types.js';
export { createPgliteDb } from './adapters/pglite.js';
export { createPostgresDb } from './adapters/postgres.js';
export { migrate, migrationVersion, listMigrations } from './migrate.js';
export { acrossTenants, declareTenant, scopedDb, withScopedDb } from './scope.js';
export { assertConfinedRole } from './assert-confined-role.js';
export { deferWrite, isTx, lastStatement } from './defer-write.js';
