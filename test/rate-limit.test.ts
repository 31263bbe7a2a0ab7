import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { connectRedis } from '../src/http/redis.js';
import { createLogger } from '../src/kernel/logger.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { profile } from './helpers/flow.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function send(t: TestApp, method: 'POST' | 'PUT', url: string, opts: { ip?: string; payload?: unknown; auth?: string } = {}) {
  const res = await t.app.inject({
    method,
    url,
    payload: (opts.payload ?? {}) as any,
    remoteAddress: opts.ip ?? '198.51.100.7',
    headers: opts.auth ? { authorization: `Bearer ${opts.auth}` } : {},
  });
  return { status: res.statusCode, headers: res.headers, body: res.json() };
}

function expectRateLimited(res: Awaited<ReturnType<typeof send>>, budget: string) {
  expect(res.status).toBe(429);
  expect(res.headers['content-type']).toContain('application/problem+json');
  expect(res.body).toMatchObject({ status: 429, code: 'rate_limited', budget, type: 'https://enroll.dev/errors#rate_limited' });
  expect(typeof res.body.request_id).toBe('string');
  const retryAfter = Number(res.headers['retry-after']);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(res.body.retry_after_seconds).toBe(retryAfter);
}

describe('per-IP budget', () => {
  it('limits each client IP on its own, across the costly anonymous routes', async () => {
    const t = await createTestApp({ RATE_LIMIT_PER_MINUTE: '3', RATE_LIMIT_ENROLLMENT_PER_MINUTE: '0' });
    try {
      const a = '203.0.113.1';
      const first = await send(t, 'POST', '/v1/enrollments', { ip: a });
      expect(first.status).toBe(201);
      const id = first.body.id as string;
      expect((await send(t, 'PUT', `/v1/enrollments/${id}/profile`, { ip: a, payload: profile('ip-budget@example.com') })).status).toBe(200); // not a costly route: free
      expect((await send(t, 'POST', `/v1/enrollments/${id}/verification`, { ip: a, payload: { channel: 'email' } })).status).toBe(202);
      expect((await send(t, 'POST', `/v1/enrollments/${id}/verification/confirm`, { ip: a, payload: { code: '000000' } })).status).toBe(422);
      expectRateLimited(await send(t, 'POST', '/v1/enrollments', { ip: a }), 'ip');
      // Another IP has its own budget.
      expect((await send(t, 'POST', '/v1/enrollments', { ip: '203.0.113.2' })).status).toBe(201);
      // IPv6: one /64 is one client (a host gets a whole subnet to rotate through); another /64 is another client.
      const v6: number[] = [];
      for (const ip of ['2001:db8:1:2::1', '2001:db8:1:2::2', '2001:db8:1:2:ffff::9', '2001:db8:1:2::3']) v6.push((await send(t, 'POST', '/v1/enrollments', { ip })).status);
      expect(v6).toEqual([201, 201, 201, 429]);
      expect((await send(t, 'POST', '/v1/enrollments', { ip: '2001:db8:1:3::1' })).status).toBe(201);
    } finally {
      await t.close();
    }
  });
});

describe('in-memory store', () => {
  it('keeps a live counter while thousands of other keys pass (the LRU is not the 5,000-key default)', async () => {
    const t = await createTestApp({ RATE_LIMIT_PER_MINUTE: '1' });
    try {
      // An invalid body is refused after the budget is spent, so these calls are cheap.
      const url = '/sandbox-gateway/v1/tokens';
      expect((await send(t, 'POST', url, { ip: '10.0.0.1' })).status).toBe(422);
      for (let i = 0; i < 6000; i++) await t.app.inject({ method: 'POST', url, payload: {}, remoteAddress: `10.1.${i >> 8}.${i & 255}` });
      expectRateLimited(await send(t, 'POST', url, { ip: '10.0.0.1' }), 'ip');
    } finally {
      await t.close();
    }
  }, 60_000);
});

describe('a concurrent burst', () => {
  it('over the budget refuses only the excess (every request reads its own count)', async () => {
    const t = await createTestApp({ RATE_LIMIT_PER_MINUTE: '3' });
    try {
      const burst = await Promise.all(Array.from({ length: 5 }, () => send(t, 'POST', '/sandbox-gateway/v1/tokens', { ip: '10.9.9.9' })));
      expect(burst.map((r) => r.status).sort()).toEqual([422, 422, 422, 429, 429]);
    } finally {
      await t.close();
    }
  });
});

describe('per-enrollment budget', () => {
  it('limits writes on one enrollment however many IPs they come from, and leaves other enrollments alone', async () => {
    const t = await createTestApp({ RATE_LIMIT_PER_MINUTE: '0', RATE_LIMIT_ENROLLMENT_PER_MINUTE: '4' });
    try {
      const id = (await send(t, 'POST', '/v1/enrollments')).body.id as string;
      const other = (await send(t, 'POST', '/v1/enrollments')).body.id as string;
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        statuses.push((await send(t, 'PUT', `/v1/enrollments/${id}/profile`, { ip: `192.0.2.${i + 1}`, payload: profile('enr-budget@example.com') })).status);
      }
      expect(statuses).toEqual([200, 200, 200, 200]);
      expectRateLimited(await send(t, 'POST', `/v1/enrollments/${id}/verification/confirm`, { ip: '192.0.2.99', payload: { code: '123456' } }), 'enrollment');
      // Reading the enrollment is not a write: still allowed.
      expect((await t.app.inject({ method: 'GET', url: `/v1/enrollments/${id}` })).statusCode).toBe(200);
      expect((await send(t, 'PUT', `/v1/enrollments/${other}/profile`, { payload: profile('enr-budget-2@example.com') })).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});

describe('per-partner budget', () => {
  it('counts a partner by its key, not its IP; a wrong key spends the IP budget', async () => {
    const t = await createTestApp({
      PARTNER_API_KEYS: 'acme:partner-test-key,globex:globex-test-key',
      RATE_LIMIT_PARTNER_PER_MINUTE: '2',
      RATE_LIMIT_PER_MINUTE: '1',
    });
    try {
      const url = '/v1/channels/partner/enrollments';
      // An invalid body is refused after the limit is counted: the budget is spent on arrival.
      const acme = [await send(t, 'POST', url, { auth: 'partner-test-key' }), await send(t, 'POST', url, { auth: 'partner-test-key' })];
      expect(acme.map((r) => r.status)).toEqual([422, 422]);
      expectRateLimited(await send(t, 'POST', url, { auth: 'partner-test-key', ip: '198.51.100.200' }), 'partner');
      // The other partner, from the same IP, has its own budget.
      expect((await send(t, 'POST', url, { auth: 'globex-test-key' })).status).toBe(422);
      // Key guessing is a stranger's traffic: the per-IP budget (1) applies.
      expect((await send(t, 'POST', url, { auth: 'guess-1', ip: '198.51.100.9' })).status).toBe(401);
      expectRateLimited(await send(t, 'POST', url, { auth: 'guess-2', ip: '198.51.100.9' }), 'ip');
    } finally {
      await t.close();
    }
  });
});

describe('shared Redis store', async () => {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, enableOfflineQueue: false });
  probe.on('error', () => {}); // a down Redis is reported by the skip below
  const up = await probe.connect().then(() => true, () => false);
  afterAll(() => probe.disconnect());

  it.skipIf(!up)('two app instances spend one budget', async () => {
    // A fresh prefix per run: parallel runs (and reruns within the minute) never share counters.
    const prefix = `enroll-test:${randomUUID()}:`;
    const env = { REDIS_URL, RATE_LIMIT_KEY_PREFIX: prefix, RATE_LIMIT_PER_MINUTE: '4' };
    const a = await createTestApp(env);
    const b = await createTestApp(env);
    try {
      const ip = '203.0.113.50';
      const statuses = [
        (await send(a, 'POST', '/v1/enrollments', { ip })).status,
        (await send(b, 'POST', '/v1/enrollments', { ip })).status,
        (await send(a, 'POST', '/v1/enrollments', { ip })).status,
        (await send(b, 'POST', '/v1/enrollments', { ip })).status,
      ];
      expect(statuses).toEqual([201, 201, 201, 201]);
      expectRateLimited(await send(a, 'POST', '/v1/enrollments', { ip }), 'ip');
      expectRateLimited(await send(b, 'POST', '/v1/enrollments', { ip }), 'ip');
      // A burst across both instances: exactly the budget passes.
      const other = '203.0.113.51';
      const burst = await Promise.all([a, b, a, b, a, b].map((app) => send(app, 'POST', '/sandbox-gateway/v1/tokens', { ip: other })));
      expect(burst.map((r) => r.status).sort()).toEqual([422, 422, 422, 422, 429, 429]);
      // The counters are really in Redis, under this run's prefix.
      expect(await probe.keys(`${prefix}*`)).toContain(`${prefix}ip:${ip}`);
    } finally {
      await a.close();
      await b.close();
      const keys = await probe.keys(`${prefix}*`);
      if (keys.length) await probe.del(...keys);
    }
  });

  it('refuses to start when REDIS_URL is set but nothing answers', async () => {
    await expect(connectRedis('redis://127.0.0.1:1', createLogger({ level: 'silent' }))).rejects.toThrow(/REDIS_URL/);
  });
});
