import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGatewayApp } from '../src/gateway-app.js';
import { THREE_DS_CARDS } from '../src/gateway-sandbox/index.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { call, enrollUpToPayment } from './helpers/flow.js';

const APP = 'http://localhost:3000';
const PAGES = ['/sandbox-gateway/hosted/card-fields'];

/** The gateway's own listener: only the gateway, its pages under a strict CSP, framed only by the app's origins. */
describe('gateway listener (buildGatewayApp)', () => {
  let t: TestApp;
  let gw: FastifyInstance;
  beforeAll(async () => {
    t = await createTestApp({ PUBLIC_URL: APP, GATEWAY_PUBLIC_URL: 'http://127.0.0.1:3001' });
    gw = await buildGatewayApp(t.deps);
    await gw.ready();
  });
  afterAll(async () => {
    await gw.close();
    await t.close();
  });

  const get = (app: FastifyInstance, url: string) => app.inject({ method: 'GET', url });

  it('serves the card fields with a nonce CSP framed only by the parent origin', async () => {
    const res = await get(gw, `${PAGES[0]}?parent_origin=${encodeURIComponent(APP)}&locale=de-DE`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const csp = String(res.headers['content-security-policy']);
    const nonce = /script-src 'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    for (const d of ["default-src 'none'", "object-src 'none'", "base-uri 'none'", "connect-src 'self'", `frame-ancestors ${APP}`]) expect(csp).toContain(d);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    // Every script and style element carries this response's nonce, and the page loads nothing from elsewhere.
    const scripts = res.body.match(/<script[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of [...scripts, ...(res.body.match(/<style[^>]*>/g) ?? [])]) expect(tag).toContain(`nonce="${nonce}"`);
    expect(res.body).not.toMatch(/\bsrc=|\bhref=/);
    expect(res.body).toContain('lang="de"');
    // A fresh nonce per response.
    const again = await get(gw, `${PAGES[0]}?parent_origin=${encodeURIComponent(APP)}`);
    expect(again.headers['content-security-policy']).not.toBe(csp);
  });

  it('refuses a parent origin that is not one of the app\'s', async () => {
    for (const parent of ['https://evil.example', `${APP}.evil.example`, `${APP}/`, "http://localhost:3000; script-src *"]) {
      const res = await get(gw, `${PAGES[0]}?parent_origin=${encodeURIComponent(parent)}`);
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({ code: 'gateway_request_invalid', fields: { parent_origin: ['not_allowed'] } });
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    }
  });

  it('serves the challenge page for a pending challenge, and refuses an unknown one', async () => {
    const { id } = await enrollUpToPayment(t.app, t.deps, 'gateway-app@example.com', { card: THREE_DS_CARDS.authentication_required });
    const next = (await call(t.app, 'POST', `/v1/enrollments/${id}/complete`)).body.next_action;
    const url = new URL(next.url);
    const page = await get(gw, url.pathname + url.search);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toContain(`frame-ancestors ${APP}`);
    expect(page.body).toContain(next.challenge_id);
    expect((await get(gw, `/sandbox-gateway/hosted/challenge/chl_unknown?parent_origin=${encodeURIComponent(APP)}`)).json().code).toBe('gateway_challenge_unavailable');
  });

  it('holds the gateway only: the app\'s API is not there, and the hosted pages are not on the app\'s origin', async () => {
    expect((await get(gw, '/v1/config/public')).statusCode).toBe(404);
    expect((await get(gw, '/healthz')).statusCode).toBe(404);
    expect((await get(t.app, `${PAGES[0]}?parent_origin=${encodeURIComponent(APP)}`)).statusCode).toBe(404);
    const token = await gw.inject({ method: 'POST', url: '/sandbox-gateway/v1/tokens', payload: { number: '4242424242424242', exp_month: 12, exp_year: 2040, cvc: '123' } });
    expect(token.statusCode).toBe(201);
  });
});

describe('gateway listener rate limit', () => {
  it('spends the per-IP budget on tokenization, as the app\'s port does (card testing)', async () => {
    const t = await createTestApp({ RATE_LIMIT_PER_MINUTE: '2' });
    const gw = await buildGatewayApp(t.deps);
    try {
      const tokenize = () => gw.inject({ method: 'POST', url: '/sandbox-gateway/v1/tokens', payload: { number: '4242424242424242', exp_month: 12, exp_year: 2040, cvc: '123' } });
      expect([(await tokenize()).statusCode, (await tokenize()).statusCode]).toEqual([201, 201]);
      const third = await tokenize();
      expect(third.statusCode).toBe(429);
      expect(third.json()).toMatchObject({ code: 'rate_limited', budget: 'ip' });
    } finally {
      await gw.close();
      await t.close();
    }
  });
});
