import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/index.js';
import { createDeps } from '../src/deps.js';
import { createLogger } from '../src/kernel/logger.js';
import { createTestDb } from './helpers/db.js';

describe('the app database role', () => {
  let db: Awaited<ReturnType<typeof createTestDb>>;
  beforeAll(async () => {
    db = await createTestDb();
    // Cluster-global, like enroll_app: created idempotently, whichever test database gets there first.
    await db.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'enroll_bypass_test') THEN
        BEGIN CREATE ROLE enroll_bypass_test NOLOGIN NOSUPERUSER BYPASSRLS; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END;
      END IF; END $$`);
  });
  afterAll(() => db.dropAfter());
  const boot = (role: string) => createDeps(loadConfig({ NODE_ENV: 'test', DB_APP_ROLE: role }), createLogger({ level: 'silent' }), { db });

  it('is neither superuser nor BYPASSRLS, and every app transaction runs as it', async () => {
    const { rows } = await db.query(`SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = 'enroll_app'`);
    expect(rows[0]).toEqual({ rolsuper: false, rolbypassrls: false });
    const deps = await boot('enroll_app');
    expect(await deps.db.transaction(async (tx) => (await tx.query('SELECT current_user AS u')).rows[0])).toEqual({ u: 'enroll_app' });
    expect((await deps.db.query('SELECT current_user AS u')).rows[0]).toEqual({ u: 'enroll_app' });
    await deps.worker.stop();
  });

  it('start-up refuses a role that bypasses row-level security', async () => {
    await expect(boot('enroll_bypass_test')).rejects.toMatchObject({ code: 'db_role_unconfined' });
    await expect(boot((await db.query<{ u: string }>('SELECT current_user AS u')).rows[0]!.u)).rejects.toMatchObject({ code: 'db_role_unconfined' });
  });
});
