import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { createPgliteDb, createPostgresDb, migrate, type Db } from '../../src/db/index.js';

/**
 * A migrated database for one test file: in-memory PGlite by default, or a
 * fresh PostgreSQL database when TEST_DATABASE_URL is set (never the shared
 * `test` database as-is: it may hold anything). Close it in afterAll.
 */
export async function createTestDb(): Promise<Db & { dropAfter: () => Promise<void> }> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    const template = inject('pgliteTemplate');
    const db = await createPgliteDb(undefined, template ? { loadDataDir: new Blob([readFileSync(template)]) } : {});
    await migrate(db); // a no-op on the template, unless a migration was added since
    return Object.assign(db, { dropAfter: () => db.close() });
  }
  const name = `enroll_t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${name}`;
  const db = createPostgresDb(dbUrl.toString(), { max: 25 });
  await migrate(db);
  return Object.assign(db, {
    dropAfter: async () => {
      await db.close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      // The pool's sockets may still be closing. FORCE would terminate them mid-goodbye, and the FATAL it sends
      // surfaces as an uncaught error in whichever test file runs next (a red PostgreSQL run with every test
      // green). So wait for them to go (55006: still in use), and force only as the last resort.
      for (let i = 0; ; i++) {
        try {
          await c.query(`DROP DATABASE IF EXISTS ${name}${i >= 40 ? ' WITH (FORCE)' : ''}`);
          break;
        } catch (err) {
          if ((err as { code?: string }).code !== '55006' || i >= 40) throw err;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      await c.end();
    },
  });
}
