import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordEvent, verifyAuditChain } from '../src/audit/index.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { call } from './helpers/flow.js';
import { signedInOwner } from './helpers/owner.js';

const ADMIN = { authorization: 'Bearer admin-test-key' };
const verify = (t: TestApp, query = '', headers: Record<string, string> = ADMIN) => call(t.app, 'GET', `/v1/audit/verify${query}`, undefined, headers);

/** As the owner (above the app role's privileges), with the append-only trigger off for this transaction only: an attacker with superuser. */
async function tamper(t: TestApp, sql: string, params: unknown[]) {
  await t.db.transaction(async (tx) => {
    await tx.query(`SET LOCAL session_replication_role = replica`);
    await tx.query(sql, params);
  });
}

describe('tamper-evident audit chain', () => {
  let t: TestApp;
  let a: Awaited<ReturnType<typeof signedInOwner>>;
  let b: Awaited<ReturnType<typeof signedInOwner>>;
  beforeAll(async () => {
    t = await createTestApp();
    a = await signedInOwner(t, 'chain-a@example.com');
    b = await signedInOwner(t, 'chain-b@example.com');
  });
  afterAll(() => t.close());

  it('the app role may append audit rows but neither update nor delete them (permission denied)', async () => {
    await t.deps.db.transaction((tx) => recordEvent(tx, { action: 'test.appended', actor: { type: 'system' }, subject: { type: 'test', id: 'x' } }));
    const update = t.deps.db.transaction((tx) => tx.query(`UPDATE audit_events SET action = 'test.changed' WHERE subject_id = 'x'`), { system: 'test' });
    await expect(update).rejects.toMatchObject({ code: '42501' });
    const del = t.deps.db.transaction((tx) => tx.query(`DELETE FROM audit_events WHERE subject_id = 'x'`), { system: 'test' });
    await expect(del).rejects.toMatchObject({ code: '42501' });
    const heads = t.deps.db.transaction((tx) => tx.query(`UPDATE audit_chain_heads SET seq = seq + 1`), { system: 'test' });
    await expect(heads).rejects.toMatchObject({ code: '42501' });
  });

  it('links every event to the one before it in its chain, ordered by the chain sequence', async () => {
    const { rows } = await t.db.query<{ chain: string; chain_seq: number; prev_hash: Buffer | null; hash: Buffer }>(
      `SELECT chain, chain_seq, prev_hash, hash FROM audit_events WHERE chain = $1 ORDER BY chain_seq`, [a.tenantId]);
    expect(rows.length).toBeGreaterThan(3);
    rows.forEach((r, i) => {
      expect(r.chain_seq).toBe(i + 1);
      expect(r.prev_hash === null ? null : Buffer.from(r.prev_hash).toString('hex')).toBe(i === 0 ? null : Buffer.from(rows[i - 1]!.hash).toString('hex'));
    });
    const res = await verify(t);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, events: expect.any(Number) });
    expect(res.body.events).toBeGreaterThan(rows.length);
  });

  it('concurrent appenders to one chain queue on its head instead of forking it', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) =>
      t.deps.db.transaction((tx) => recordEvent(tx, { action: 'test.concurrent', actor: { type: 'system' }, subject: { type: 'test', id: 'race' }, data: { i } }))));
    const { rows } = await t.db.query<{ n: number; max: number }>(`SELECT count(*)::int AS n, max(chain_seq)::int AS max FROM audit_events WHERE chain = 'test:race'`);
    expect(rows[0]).toEqual({ n: 20, max: 20 });
    expect((await verifyAuditChain(t.deps.db)).ok).toBe(true);
  });

  it('an owner verifies their own tenant chain only; no session, no verification', async () => {
    const own = await verify(t, `?tenant_id=${a.tenantId}`, { cookie: a.cookie });
    expect(own.status).toBe(200);
    expect(own.body.ok).toBe(true);
    expect((await verify(t, `?tenant_id=${b.tenantId}`, { cookie: a.cookie })).status).toBe(403);
    expect((await verify(t, '', { cookie: a.cookie })).status).toBe(403);
    expect((await verify(t, '', {})).status).toBe(401);
  });

  // The destructive cases last: each leaves its chain broken for the tests after it.
  it('names exactly the event whose content was rewritten', async () => {
    const { rows } = await t.db.query<{ id: string }>(`SELECT id FROM audit_events WHERE chain = $1 ORDER BY chain_seq`, [b.tenantId]);
    const victim = rows[Math.floor(rows.length / 2)]!.id;
    await tamper(t, `UPDATE audit_events SET data = data || '{"amount": 1}' WHERE id = $1`, [victim]);
    const res = await verify(t);
    expect(res.body).toMatchObject({ ok: false, first_broken: { event_id: victim, chain: b.tenantId, reason: 'hash_mismatch' } });
    // The other tenant's chain is intact, and its owner is told so.
    expect((await verify(t, `?tenant_id=${a.tenantId}`, { cookie: a.cookie })).body.ok).toBe(true);
  });

  it('names the event after a deleted one, and a chain whose last events were cut off', async () => {
    const { rows } = await t.db.query<{ id: string }>(`SELECT id FROM audit_events WHERE chain = $1 ORDER BY chain_seq`, [a.tenantId]);
    await tamper(t, `DELETE FROM audit_events WHERE id = $1`, [rows[1]!.id]);
    expect((await verifyAuditChain(t.deps.db, { tenantId: a.tenantId })).first_broken).toMatchObject({ event_id: rows[2]!.id, reason: 'sequence_gap' });
  });
});

describe('a chain cut short', () => {
  it('is reported at its head when its last events are gone', async () => {
    const t = await createTestApp();
    try {
      for (const i of [1, 2, 3]) await t.deps.db.transaction((tx) => recordEvent(tx, { action: 'test.appended', actor: { type: 'system' }, subject: { type: 'test', id: 'tail' }, data: { i } }));
      expect(await verifyAuditChain(t.deps.db)).toMatchObject({ ok: true });
      await tamper(t, `DELETE FROM audit_events WHERE chain = 'test:tail' AND chain_seq = 3`, []);
      expect(await verifyAuditChain(t.deps.db)).toMatchObject({ ok: false, first_broken: { event_id: null, chain: 'test:tail', chain_seq: 3, reason: 'head_mismatch' } });
    } finally {
      await t.close();
    }
  });
});

describe('npm run audit:verify', () => {
  it('prints { ok, events } and exits 0 on an intact database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'enroll-audit-verify-'));
    try {
      // PGlite in a fresh data directory: the script migrates it, as the service would.
      const env = { ...process.env, DATA_DIR: join(dir, 'data'), DATABASE_URL: '' };
      const { stdout } = await promisify(execFile)('npx', ['tsx', 'scripts/audit-verify.ts'], { env, timeout: 140_000 });
      expect(JSON.parse(stdout)).toMatchObject({ ok: true, events: expect.any(Number) });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 150_000);
});
