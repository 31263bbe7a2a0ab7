import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalKeyManager, createVault, rewrapSubjectKeys } from '../src/vault/index.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { call, profile } from './helpers/flow.js';

const OLD = { version: 1, secret: 'old-master-key-for-rotation-0123' };
const NEW = { version: 2, secret: 'new-master-key-for-rotation-4567' };

/**
 * The PII vault at rest and under rotation: profiles are stored sealed under a per-subject key,
 * the address is looked up by keyed hash, and a new master key version can be rolled out while
 * the old one still unwraps, then every stored data key moved forward by the rewrap job.
 */
describe('PII vault: sealed at rest, rotated without downtime', () => {
  let t: TestApp;
  const ids: string[] = [];

  beforeAll(async () => {
    t = await createTestApp({ PII_MASTER_KEYS: `${OLD.version}:${OLD.secret}` });
    for (let i = 0; i < 3; i++) {
      const id = (await call(t.app, 'POST', '/v1/enrollments', {})).body.id as string;
      expect((await call(t.app, 'PUT', `/v1/enrollments/${id}/profile`, profile(`vault-${i}@example.com`, { phone: '+4915123456789' }))).status).toBe(200);
      ids.push(id);
    }
  }, 60_000);
  afterAll(() => t.close());

  it('stores the profile sealed, one data key per subject, wrapped under the newest master key', async () => {
    const { rows } = await t.deps.db.query('SELECT e.*, k.key_version FROM enrollments e JOIN subject_keys k ON k.subject_id = e.id WHERE e.id = ANY($1)', [ids]);
    expect(rows).toHaveLength(3);
    const dump = JSON.stringify(rows);
    for (const needle of ['vault-0@example.com', 'Anna', 'Muster', '+4915123456789', '4915123456789']) expect(dump).not.toContain(needle);
    expect(rows.every((r) => r.key_version === 1 && typeof r.profile_sealed === 'string' && /^[0-9a-f]{64}$/.test(r.email_hash))).toBe(true);
    // A second profile submission reuses the subject's key: still one key row.
    await call(t.app, 'PUT', `/v1/enrollments/${ids[0]}/profile`, profile('vault-0b@example.com'));
    const keys = await t.deps.db.query('SELECT count(*)::int AS n FROM subject_keys WHERE subject_id = $1', [ids[0]]);
    expect(keys.rows[0].n).toBe(1);
    // And the app reads it back in clear.
    const view = await call(t.app, 'GET', `/v1/enrollments/${ids[1]}`);
    expect(view.body.profile).toMatchObject({ email: 'vault-1@example.com', given_name: 'Anna', phone: '+4915123456789' });
  });

  it('a sealed value copied to another subject does not open (bound to its subject)', async () => {
    const { rows } = await t.deps.db.query<{ profile_sealed: string }>('SELECT profile_sealed FROM enrollments WHERE id = $1', [ids[1]]);
    await expect(t.deps.vault.open(t.deps.db, ids[2]!, rows[0]!.profile_sealed)).rejects.toThrow();
    expect(await t.deps.vault.open(t.deps.db, ids[1]!, rows[0]!.profile_sealed)).toMatchObject({ email_normalized: 'vault-1@example.com' });
  });

  it('rotation: a new version wraps, the old still unwraps, rewrap moves every key, then the old key can go', async () => {
    const both = createVault(createLocalKeyManager([OLD, NEW]), t.deps.clock);
    const sealed = (await t.deps.db.query<{ id: string; profile_sealed: string }>('SELECT id, profile_sealed FROM enrollments WHERE id = ANY($1)', [ids])).rows;
    // Mid-rollout: a process with both versions reads data whose keys are still wrapped under v1 …
    for (const r of sealed) expect(await both.open(t.deps.db, r.id, r.profile_sealed)).not.toBeNull();
    // … and a new subject gets a key wrapped under v2, while the v1-only process keeps serving its own.
    await both.seal(t.deps.db, 'sbj_rotation_new', { x: 1 });
    expect((await t.deps.db.query('SELECT key_version FROM subject_keys WHERE subject_id = $1', ['sbj_rotation_new'])).rows[0].key_version).toBe(2);
    expect((await call(t.app, 'GET', `/v1/enrollments/${ids[2]}`)).body.profile.email).toBe('vault-2@example.com');

    const moved = await rewrapSubjectKeys(t.deps.db, both.keyManager, { now: new Date(), batch: 2 });
    expect(moved).toBe(3);
    expect(await rewrapSubjectKeys(t.deps.db, both.keyManager, { now: new Date() })).toBe(0);
    const versions = await t.deps.db.query('SELECT DISTINCT key_version FROM subject_keys');
    expect(versions.rows).toEqual([{ key_version: 2 }]);

    // The old master key is retired: v2 alone opens everything, v1 alone opens nothing. The data was never re-encrypted.
    const newOnly = createVault(createLocalKeyManager([NEW]), t.deps.clock);
    const oldOnly = createVault(createLocalKeyManager([OLD]), t.deps.clock);
    const after = (await t.deps.db.query<{ id: string; profile_sealed: string }>('SELECT id, profile_sealed FROM enrollments WHERE id = ANY($1)', [ids])).rows;
    expect(after.map((r) => r.profile_sealed).sort()).toEqual(sealed.map((r) => r.profile_sealed).sort());
    for (const r of after) {
      expect(await newOnly.open(t.deps.db, r.id, r.profile_sealed)).toHaveProperty('profile.given_name', 'Anna');
      await expect(oldOnly.open(t.deps.db, r.id, r.profile_sealed)).rejects.toThrow();
    }
  });

  it('refuses a configuration without keys, and duplicate versions', () => {
    expect(() => createLocalKeyManager([])).toThrow();
    expect(() => createLocalKeyManager([OLD, { ...NEW, version: 1 }])).toThrow();
  });
});
