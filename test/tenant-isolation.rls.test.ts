import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/index.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { signedInOwner } from './helpers/owner.js';

const RLS_VIOLATION = '42501'; // "new row violates row-level security policy": insufficient_privilege

describe('tenant isolation by row-level security', () => {
  let t: TestApp;
  let app: Db;
  let a: Awaited<ReturnType<typeof signedInOwner>>;
  let b: Awaited<ReturnType<typeof signedInOwner>>;
  beforeAll(async () => {
    t = await createTestApp();
    app = t.deps.db;
    a = await signedInOwner(t, 'rls-a@example.com');
    b = await signedInOwner(t, 'rls-b@example.com');
  });
  afterAll(() => t.close());

  it('catalogue: every table with a tenant_id has RLS enabled and forced, with USING and WITH CHECK', async () => {
    const { rows } = await t.db.query<{ table: string; enabled: boolean; forced: boolean; using: boolean; checked: boolean; updatable: boolean; update_both: boolean }>(
      `SELECT c.relname AS table, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced,
              EXISTS (SELECT 1 FROM pg_policies p WHERE p.schemaname = 'public' AND p.tablename = c.relname AND p.cmd IN ('ALL', 'SELECT') AND p.qual IS NOT NULL) AS using,
              EXISTS (SELECT 1 FROM pg_policies p WHERE p.schemaname = 'public' AND p.tablename = c.relname AND p.cmd IN ('ALL', 'INSERT') AND p.with_check IS NOT NULL) AS checked,
              has_table_privilege('enroll_app', c.oid, 'UPDATE') AS updatable,
              EXISTS (SELECT 1 FROM pg_policies p WHERE p.schemaname = 'public' AND p.tablename = c.relname AND p.cmd IN ('ALL', 'UPDATE') AND p.qual IS NOT NULL AND p.with_check IS NOT NULL) AS update_both
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r'
          AND EXISTS (SELECT 1 FROM pg_attribute at WHERE at.attrelid = c.oid AND at.attname = 'tenant_id' AND NOT at.attisdropped)
        ORDER BY 1`,
    );
    expect(rows.map((r) => r.table)).toEqual(expect.arrayContaining(['audit_events', 'invoices', 'memberships', 'payments', 'roles', 'subscriptions']));
    for (const r of rows) expect({ ...r, update_both: r.updatable ? r.update_both : true }).toEqual({ table: r.table, enabled: true, forced: true, using: true, checked: true, updatable: r.updatable, update_both: true });
  });

  const asTenant = <T>(tenantId: string, fn: Parameters<Db['transaction']>[0]) => app.transaction(fn, { tenantId }) as Promise<T>;

  it('select: a tenant sees its own rows and none of another tenant', async () => {
    const seen = await asTenant<string[]>(a.tenantId, async (tx) => (await tx.query<{ tenant_id: string }>('SELECT DISTINCT tenant_id FROM subscriptions UNION SELECT DISTINCT tenant_id FROM invoices UNION SELECT DISTINCT tenant_id FROM memberships')).rows.map((r) => r.tenant_id));
    expect(seen).toEqual([a.tenantId]);
    const other = await asTenant<number>(a.tenantId, async (tx) => (await tx.query('SELECT 1 FROM subscriptions WHERE id = $1', [b.subscriptionId])).rowCount);
    expect(other).toBe(0);
    expect(await asTenant(a.tenantId, async (tx) => (await tx.query('SELECT 1 FROM tenants WHERE id = $1', [b.tenantId])).rowCount)).toBe(0);
  });

  it("update and delete: another tenant's rows are not touched", async () => {
    const updated = await asTenant<number>(a.tenantId, async (tx) => (await tx.query(`UPDATE subscriptions SET status = 'canceled' WHERE id = $1`, [b.subscriptionId])).rowCount);
    expect(updated).toBe(0);
    const deleted = await asTenant<number>(a.tenantId, async (tx) => (await tx.query(`DELETE FROM dashboard_links WHERE tenant_id = $1`, [b.tenantId])).rowCount);
    expect(deleted).toBe(0);
    const { rows } = await t.db.query(`SELECT status FROM subscriptions WHERE id = $1`, [b.subscriptionId]);
    expect(rows[0]).toEqual({ status: 'active' });
    expect((await t.db.query(`SELECT 1 FROM dashboard_links WHERE tenant_id = $1`, [b.tenantId])).rowCount).toBe(1);
    // Nor may a row be moved into another tenant.
    const moved = asTenant(a.tenantId, (tx) => tx.query(`UPDATE roles SET tenant_id = $2 WHERE tenant_id = $1`, [a.tenantId, b.tenantId]));
    await expect(moved).rejects.toMatchObject({ code: RLS_VIOLATION });
  });

  it("insert: a row for another tenant is refused (WITH CHECK)", async () => {
    const insert = asTenant(a.tenantId, (tx) => tx.query(`INSERT INTO roles (id, tenant_id, name, permissions) VALUES ('rol_intruder', $1, 'intruder', '{}')`, [b.tenantId]));
    await expect(insert).rejects.toMatchObject({ code: RLS_VIOLATION });
    const audit = asTenant(a.tenantId, (tx) => tx.query(`INSERT INTO audit_events (id, action, actor_type, subject_type, subject_id, tenant_id) VALUES ('evt_intruder', 'test.recorded', 'system', 'test', 'x', $1)`, [b.tenantId]));
    await expect(audit).rejects.toMatchObject({ code: RLS_VIOLATION });
    expect((await t.db.query(`SELECT 1 FROM roles WHERE id = 'rol_intruder'`)).rowCount).toBe(0);
  });

  it('no tenant declared: nothing tenant-scoped is visible or writable, even right after another tenant’s transaction', async () => {
    expect(await asTenant(a.tenantId, async (tx) => (await tx.query('SELECT 1 FROM subscriptions')).rowCount)).toBe(1);
    expect(await app.transaction(async (tx) => (await tx.query('SELECT 1 FROM subscriptions UNION ALL SELECT 1 FROM tenants UNION ALL SELECT 1 FROM audit_events')).rowCount)).toBe(0);
    expect((await app.query('SELECT 1 FROM subscriptions')).rowCount).toBe(0);
    const insert = app.transaction((tx) => tx.query(`INSERT INTO roles (id, tenant_id, name, permissions) VALUES ('rol_orphan', $1, 'orphan', '{}')`, [a.tenantId]));
    await expect(insert).rejects.toMatchObject({ code: RLS_VIOLATION });
  });

  it('the system scope is explicit and sees every tenant', async () => {
    const n = await app.transaction(async (tx) => (await tx.query('SELECT 1 FROM tenants WHERE id = ANY($1)', [[a.tenantId, b.tenantId]])).rowCount, { system: 'test' });
    expect(n).toBe(2);
  });
});
