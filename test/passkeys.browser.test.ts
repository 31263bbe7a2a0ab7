import { readFileSync } from 'node:fs';
import { freePort } from './helpers/gateway.js';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { chromiumAvailable, launchChromium } from './helpers/chromium.js';
import { call, enrollUpToPayment, profile } from './helpers/flow.js';

// The package's exports map hides its UMD bundle; read it from the install directory.
const browserLib = readFileSync(new URL('../node_modules/@simplewebauthn/browser/dist/bundle/index.umd.min.js', import.meta.url), 'utf8');

/**
 * The whole WebAuthn ceremony in a real browser: Chromium's own WebAuthn
 * stack, a CDP virtual authenticator (ctap2, internal, resident keys, user
 * verification), @simplewebauthn/browser in the page, the service over real
 * HTTP on localhost (an IP is not a valid RP ID).
 */
describe.skipIf(!chromiumAvailable)('passkeys in headless Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let origin: string;
  beforeAll(async () => {
    const port = await freePort();
    origin = `http://localhost:${port}`;
    // A bare page on the service's own origin that carries the browser library: the ceremony needs a secure context.
    t = await createTestApp({ PUBLIC_URL: origin }, {}, (app) =>
      app.get('/test/passkey-page', async (_req, reply) =>
        reply.type('text/html').send(`<!doctype html><meta charset="utf-8"><title>passkey</title><script>${browserLib}</script>`)));
    await t.app.listen({ port, host: '127.0.0.1' });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function pageWithAuthenticator(userVerified: boolean): Promise<{ page: Page; cdp: CDPSession }> {
    const page = await browser.newPage();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: userVerified, automaticPresenceSimulation: true },
    });
    await page.goto(`${origin}/test/passkey-page`);
    return { page, cdp };
  }

  const registerInPage = (page: Page, enrollmentId: string) =>
    page.evaluate(async (id) => {
      const post = (url: string, body?: unknown) =>
        fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });
      const optionsJSON = await (await post(`/v1/enrollments/${id}/passkeys/options`)).json();
      try {
        // @ts-expect-error: the UMD bundle's global
        const attestation = await SimpleWebAuthnBrowser.startRegistration({ optionsJSON });
        const res = await post(`/v1/enrollments/${id}/passkeys`, attestation);
        return { status: res.status, body: await res.json() };
      } catch (err) {
        return { error: (err as Error).name };
      }
    }, enrollmentId);

  it('registers a passkey during enrollment, then signs the owner in with it, usernameless', async () => {
    const { page } = await pageWithAuthenticator(true);
    const { id } = await enrollUpToPayment(t.app, t.deps, 'browser-owner@example.com');
    const reg = await registerInPage(page, id);
    expect(reg).toMatchObject({ status: 201, body: { transports: expect.arrayContaining(['internal']) } });
    const done = await call(t.app, 'POST', `/v1/enrollments/${id}/complete`);
    expect(done.status).toBe(200);

    const signIn = await page.evaluate(async () => {
      const post = (url: string, body?: unknown) =>
        fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });
      const optionsJSON = await (await post('/v1/sessions/passkey/options')).json();
      // @ts-expect-error: the UMD bundle's global
      const assertion = await SimpleWebAuthnBrowser.startAuthentication({ optionsJSON });
      const res = await post('/v1/sessions/passkey', assertion);
      const me = await fetch('/v1/sessions/current');
      return { status: res.status, body: await res.json(), me: { status: me.status, body: await me.json() } };
    });
    expect(signIn.status).toBe(200);
    expect(signIn.body.customer_id).toBe(done.body.customer_id);
    // The browser accepted and sent back the __Host- cookie (Secure, on http://localhost).
    expect(signIn.me).toMatchObject({ status: 200, body: { customer_id: done.body.customer_id, method: 'passkey' } });
    const cookies = await page.context().cookies(origin);
    expect(cookies.find((c) => c.name === '__Host-enroll_session')).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', path: '/' });
    const { rows } = await t.db.query(`SELECT sign_count FROM passkey_credentials WHERE enrollment_id = $1`, [id]);
    expect(rows).toHaveLength(1);
    await page.close();
  }, 60_000);

  it('refuses the ceremony when the authenticator cannot verify the user: nothing is stored', async () => {
    const { page } = await pageWithAuthenticator(false);
    const start = await call(t.app, 'POST', '/v1/enrollments', {});
    const id = start.body.id as string;
    expect((await call(t.app, 'PUT', `/v1/enrollments/${id}/profile`, profile('browser-refused@example.com'))).status).toBe(200);
    const reg = await registerInPage(page, id);
    expect(reg).toEqual({ error: 'NotAllowedError' });
    const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM passkey_credentials WHERE enrollment_id = $1`, [id]);
    expect(rows[0].n).toBe(0);
    await page.close();
  }, 60_000);
});
