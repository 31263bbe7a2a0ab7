import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';

/** The web app is served at its own paths with a strict CSP, and never takes a path from the API. */
describe('serving the web app', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ PUBLIC_URL: 'http://localhost:3000', GATEWAY_PUBLIC_URL: 'http://127.0.0.1:3001' });
  });
  afterAll(() => t?.close());
  const get = (url: string) => t.app.inject({ method: 'GET', url });

  it('answers /, /enroll/{id} and /dashboard with the app shell and its CSP', async () => {
    for (const url of ['/', '/enroll/enr_01abc', '/dashboard', '/?lang=ar']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      const csp = Object.fromEntries(String(res.headers['content-security-policy']).split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));
      expect(csp).toMatchObject({
        'script-src': "'self'", 'object-src': "'none'", 'base-uri': "'none'", 'frame-ancestors': "'none'", 'frame-src': t.deps.config.gatewayPublicUrl,
      });
      expect(csp['script-src']).not.toMatch(/unsafe/);
    }
  });

  it('serves hashed assets as immutable', async () => {
    const html = (await get('/')).body;
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1];
    const res = await get(asset);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toMatch(/immutable/);
  });

  it('leaves the API, the docs and health to the API: unknown paths stay problem+json 404s', async () => {
    expect((await get('/openapi.json')).headers['content-type']).toMatch(/json/);
    expect((await get('/healthz')).statusCode).toBe(200);
    expect((await get('/docs')).statusCode).not.toBe(404);
    const unknown = await get('/v1/nothing-here');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/problem\+json/);
    expect((await get('/assets/not-built.js')).statusCode).toBe(404);
    expect((await get('/enroll/a/b')).statusCode).toBe(404);
  });

  it('GET /v1/me needs a session', async () => {
    const res = await get('/v1/me');
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('auth_required');
  });
});
