export type { Db, Tx, Queryable, QueryResult } from './types.js';
export { createPgliteDb } from './adapters/pglite.js';
export { createPostgresDb } from './adapters/postgres.js';
export { migrate, migrationVersion, listMigrations } from './migrate.js';
