import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { hmac } from '../src/kernel/crypto.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { call } from './helpers/flow.js';

describe('Idempotency-Key on POST', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('replays the stored response for the same key and body, creating nothing new', async () => {
    const h = { 'idempotency-key': 'start-1-0123456789abcdef' };
    const a = await call(t.app, 'POST', '/v1/enrollments', { locale: 'en' }, h);
    const b = await call(t.app, 'POST', '/v1/enrollments', { locale: 'en' }, h);
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.id).toBe(a.body.id);
    expect(b.headers['idempotent-replayed']).toBe('true');
    const { rows } = await t.db.query('SELECT count(*)::int AS n FROM enrollments');
    expect(rows[0].n).toBe(1);
  });

  it('refuses the same key with another body: 422 idempotency_key_reused', async () => {
    const h = { 'idempotency-key': 'start-2-0123456789abcdef' };
    await call(t.app, 'POST', '/v1/enrollments', { locale: 'en' }, h);
    const other = await call(t.app, 'POST', '/v1/enrollments', { locale: 'de' }, h);
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('idempotency_key_reused');
  });

  it('answers a concurrent duplicate with 409 idempotency_request_in_progress', async () => {
    // A first request with body {} is still running (its row says in_progress, with the hash of `{}`).
    await t.db.query(
      `INSERT INTO idempotency_keys (scope, key, request_hash, state, expires_at) VALUES ('POST /v1/enrollments anon', 'busy-0123456789abcdef', $1, 'in_progress', now() + interval '1 hour')`,
      [hmac(t.deps.keys.idempotency, '{}')],
    );
    const dup = await call(t.app, 'POST', '/v1/enrollments', {}, { 'idempotency-key': 'busy-0123456789abcdef' });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('idempotency_request_in_progress');
    const racers = await Promise.all(Array.from({ length: 8 }, () => call(t.app, 'POST', '/v1/enrollments', { locale: 'fr' }, { 'idempotency-key': 'race-0123456789abcdef' })));
    const statuses = racers.map((r) => r.status);
    const ids = new Set(racers.filter((r) => r.status === 201).map((r) => r.body.id));
    expect(ids.size).toBe(1);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    for (const r of racers.filter((x) => x.status === 409)) expect(r.body.code).toBe('idempotency_request_in_progress');
  });

  it('keeps keys for at least 24 hours', async () => {
    await call(t.app, 'POST', '/v1/enrollments', {}, { 'idempotency-key': 'ttl-0123456789abcdef' });
    const { rows } = await t.db.query(`SELECT expires_at - created_at >= interval '24 hours' AS ok FROM idempotency_keys WHERE key = 'ttl-0123456789abcdef'`);
    expect(rows[0].ok).toBe(true);
  });

  it('replays a stored 4xx outcome', async () => {
    const h = { 'idempotency-key': 'err-1-0123456789abcdef' };
    const a = await call(t.app, 'POST', '/v1/enrollments/enr_00000000000000000000000000/complete', undefined, h);
    const b = await call(t.app, 'POST', '/v1/enrollments/enr_00000000000000000000000000/complete', undefined, h);
    expect(a.body.code).toBe('enrollment_not_found');
    expect(b.body.code).toBe('enrollment_not_found');
    expect(b.headers['idempotent-replayed']).toBe('true');
  });

  it('refuses a malformed key, and a short one from an anonymous caller (anonymous callers share a scope)', async () => {
    expect((await call(t.app, 'POST', '/v1/enrollments', {}, { 'idempotency-key': 'x'.repeat(300) })).body.code).toBe('idempotency_key_invalid');
    const short = await call(t.app, 'POST', '/v1/enrollments', {}, { 'idempotency-key': '1' });
    expect(short.status).toBe(400);
    expect(short.body).toMatchObject({ code: 'idempotency_key_invalid', min_length: 16 });
  });

  it('stores a keyed hash of the request, never the body', async () => {
    const res = await call(t.app, 'POST', '/v1/enrollments/enr_00000000000000000000000000/verification/confirm', { code: '123456' }, { 'idempotency-key': 'confirm-0123456789abcdef' });
    expect(res.body.code).toBe('enrollment_not_found'); // a 404 is an outcome: stored
    const { rows } = await t.db.query(`SELECT request_hash FROM idempotency_keys WHERE key = 'confirm-0123456789abcdef'`);
    expect(rows[0].request_hash).not.toBe(createHash('sha256').update('{"code":"123456"}').digest('hex'));
    expect(rows[0].request_hash).toBe(hmac(t.deps.keys.idempotency, '{"code":"123456"}'));
  });

  it('does not store a 409: a conflict is a "try again", not an outcome', async () => {
    const start = await call(t.app, 'POST', '/v1/enrollments', {});
    const h = { 'idempotency-key': 'conflict-0123456789abcdef' };
    const early = await call(t.app, 'POST', `/v1/enrollments/${start.body.id}/verification`, { channel: 'email' }, h);
    expect(early.status).toBe(409);
    const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM idempotency_keys WHERE key = 'conflict-0123456789abcdef'`);
    expect(rows[0].n).toBe(0);
  });
});
