import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../../test/helpers/db.js';
import { listMigrations, migrate, migrationVersion } from './index.js';

describe('migrations', () => {
  let db: Awaited<ReturnType<typeof createTestDb>>;
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(() => db.dropAfter());

  it('applies every numbered migration and is idempotent', async () => {
    const latest = Math.max(...listMigrations().map((m) => m.version));
    expect(await migrationVersion(db)).toBe(latest);
    expect(await migrate(db)).toBe(latest);
  });

  it('audit_events refuses UPDATE and DELETE', async () => {
    await db.query(`INSERT INTO audit_events (id, action, actor_type, subject_type, subject_id) VALUES ('evt_x', 'test.recorded', 'system', 'test', 'x')`);
    await expect(db.query(`UPDATE audit_events SET action = 'test.changed' WHERE id = 'evt_x'`)).rejects.toThrow();
    await expect(db.query(`DELETE FROM audit_events WHERE id = 'evt_x'`)).rejects.toThrow();
  });
});
