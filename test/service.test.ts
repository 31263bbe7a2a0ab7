import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/kernel/clock.js';
import { listMigrations } from '../src/db/index.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { call, profile } from './helpers/flow.js';

describe('service surface', () => {
  let t: TestApp;
  const clock = createManualClock();
  beforeAll(async () => {
    t = await createTestApp({}, { clock });
  });
  afterAll(() => t.close());

  it('GET /healthz reports the database kind and migration version', async () => {
    const { status, body } = await call(t.app, 'GET', '/healthz');
    expect(status).toBe(200);
    expect(body).toEqual({ status: 'ok', database: process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite', migration_version: Math.max(...listMigrations().map((m) => m.version)) });
  });

  it('serves an OpenAPI 3.1 document generated from the schemas, and a reference page', async () => {
    const { status, body } = await call(t.app, 'GET', '/openapi.json');
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    for (const path of ['/v1/plans', '/v1/enrollments', '/v1/enrollments/{id}', '/v1/enrollments/{id}/profile', '/v1/enrollments/{id}/verification',
      '/v1/enrollments/{id}/verification/confirm', '/v1/enrollments/{id}/plan', '/v1/enrollments/{id}/payment-method', '/v1/enrollments/{id}/complete',
      '/v1/channels/partner/enrollments', '/v1/tenants/{id}', '/sandbox-gateway/v1/tokens']) {
      expect(Object.keys(body.paths)).toContain(path);
    }
    const profileSchema = body.paths['/v1/enrollments/{id}/profile'].put.requestBody.content['application/json'].schema;
    expect(profileSchema.required).toEqual(expect.arrayContaining(['given_name', 'family_name', 'email', 'country', 'consents']));
    const docs = await t.app.inject({ method: 'GET', url: '/docs' });
    expect([200, 302]).toContain(docs.statusCode);
  });

  it('an unknown route is a problem+json 404', async () => {
    const res = await call(t.app, 'GET', '/v1/nope');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.code).toBe('route_not_found');
  });

  it('malformed JSON is a 400 request_malformed', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/enrollments', payload: '{"locale":', headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('request_malformed');
  });

  it('a 5xx never shows internals', async () => {
    const start = await call(t.app, 'POST', '/v1/enrollments', {});
    // Break the database under the app: the error text must not reach the client.
    await t.db.query('ALTER TABLE enrollment_transitions RENAME TO enrollment_transitions_gone');
    try {
      const res = await call(t.app, 'PUT', `/v1/enrollments/${start.body.id}/profile`, profile('boom@example.com'));
      expect(res.status).toBe(500);
      expect(res.body).toEqual({
        type: expect.any(String), title: expect.any(String), status: 500, detail: expect.any(String), code: 'internal_error', request_id: expect.any(String),
      });
      expect(JSON.stringify(res.body)).not.toMatch(/enrollment_transitions|relation|sql|stack/i);
    } finally {
      await t.db.query('ALTER TABLE enrollment_transitions_gone RENAME TO enrollment_transitions');
    }
  });

  it('an expired enrollment answers enrollment_expired and shows status expired', async () => {
    const start = await call(t.app, 'POST', '/v1/enrollments', {});
    clock.advance(24 * 3_600_000 + 1);
    const res = await call(t.app, 'PUT', `/v1/enrollments/${start.body.id}/profile`, profile('late@example.com'));
    expect(res.status).toBe(410);
    expect(res.body.code).toBe('enrollment_expired');
    expect((await call(t.app, 'GET', `/v1/enrollments/${start.body.id}`)).body).toMatchObject({ status: 'expired', next: [] });
  });

  it('locale comes from the parameter, then Accept-Language, then English', async () => {
    expect((await call(t.app, 'POST', '/v1/enrollments', { locale: 'fr-FR' }, { 'accept-language': 'de' })).body.locale).toBe('fr-FR');
    expect((await call(t.app, 'POST', '/v1/enrollments', {}, { 'accept-language': 'ja-JP,en;q=0.5' })).body.locale).toBe('ja-JP');
    expect((await call(t.app, 'POST', '/v1/enrollments', {})).body.locale).toBe('en');
  });

  it('tenants need the admin key or the owner session', async () => {
    expect((await call(t.app, 'GET', '/v1/tenants/ten_x')).body.code).toBe('auth_required');
    expect((await call(t.app, 'GET', '/v1/tenants/ten_x', undefined, { authorization: 'Bearer admin-test-key' })).body.code).toBe('tenant_not_found');
  });
});

describe('production mode', () => {
  it('has no dev mailbox route and refuses to start without secrets', async () => {
    const { loadConfig } = await import('../src/config/index.js');
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow();
    const secrets = { APP_SECRET: 'a-production-secret-123', GATEWAY_SECRET: 'a-gateway-secret-1234', PII_MASTER_KEYS: '1:a-pii-master-key-123456' };
    // The PII vault's master key has no production default either.
    expect(() => loadConfig({ NODE_ENV: 'production', ...secrets, PII_MASTER_KEYS: '' })).toThrow(/PII_MASTER_KEYS/);
    const twilio = { TWILIO_ACCOUNT_SID: 'AC1', TWILIO_AUTH_TOKEN: 'token-123', TWILIO_FROM: '+15005550006' };
    expect(() => loadConfig({ NODE_ENV: 'production', ...secrets, ...twilio, TWILIO_BASE_URL: 'http://api.twilio.example' })).toThrow(/https/);
    expect(loadConfig({ NODE_ENV: 'production', ...secrets, ...twilio }).twilio?.baseUrl).toBe('https://api.twilio.com');
    const t = await createTestApp({ NODE_ENV: 'production', ...secrets, SMTP_URL: 'smtp://127.0.0.1:1?ignoreTLS=true' });
    try {
      expect((await call(t.app, 'GET', '/dev/mailbox?to=a@example.com')).status).toBe(404);
    } finally {
      await t.close();
    }
  });
});

describe('POST /v1/enrollments without a body', () => {
  it('is accepted: every field of the start body is optional', async () => {
    const t = await createTestApp();
    try {
      const res = await t.app.inject({ method: 'POST', url: '/v1/enrollments' });
      expect(res.statusCode).toBe(201);
      expect(res.json().status).toBe('started');
    } finally {
      await t.close();
    }
  });
});

describe('rate limit on unauthenticated routes that cost something', () => {
  it('answers 429 rate_limited with Retry-After once the per-IP budget is spent', async () => {
    const t = await createTestApp({ RATE_LIMIT_PER_MINUTE: '5' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await call(t.app, 'POST', '/v1/enrollments', {})).status);
      const over = await call(t.app, 'POST', '/sandbox-gateway/v1/tokens', { number: '4242424242424242', exp_month: 12, exp_year: 2040, cvc: '123' });
      expect(statuses).toEqual(Array(5).fill(201));
      expect(over.status).toBe(429);
      expect(over.headers['content-type']).toContain('application/problem+json');
      expect(over.body.code).toBe('rate_limited');
      expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
      // Reading is not limited.
      expect((await call(t.app, 'GET', '/v1/plans')).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});
