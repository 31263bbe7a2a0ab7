import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { THREE_DS_CARDS } from '../src/gateway-sandbox/index.js';
import { chromiumAvailable, launchChromium } from './helpers/chromium.js';
import { createManualClock } from '../src/kernel/clock.js';
import { completionCounts, EXACTLY_ONE } from './helpers/counts.js';
import { call, enrollUpToPayment } from './helpers/flow.js';
import { listenWithGateway, type TwoOrigins } from './helpers/gateway.js';

// A bare parent on the app's origin: it learns the gateway origin from /v1/config/public and keeps only its messages.
const PARENT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>parent</title><body>
<iframe id="gw" title="payment" style="width:420px;height:320px;border:0"></iframe><iframe id="other" title="other" style="width:10px;height:10px"></iframe>
<script>window.received=[];window.config=fetch('/v1/config/public').then((r)=>r.json()).then((c)=>{
addEventListener('message',(e)=>{if(e.origin===c.gateway_origin&&e.source===document.getElementById('gw').contentWindow)window.received.push(e.data);});return c;});</script>`;

const wait = (page: Page, type: string) =>
  page.waitForFunction((t) => (window as any).received.find((m: any) => m.type === t), type, { timeout: 10_000 }).then((h) => h.jsonValue());

/**
 * The hosted card fields and the 3-D Secure challenge in real Chromium, on two
 * real origins: the app (localhost) frames the gateway (127.0.0.1); the card is
 * typed into the gateway's frame and only a token comes back by postMessage.
 */
describe.skipIf(!chromiumAvailable)('hosted payment fields and 3-D Secure in headless Chromium', () => {
  let o: TwoOrigins;
  let browser: Browser;
  // Moved only by the last test (a challenge's deadline); every other test runs at the time it started.
  const clock = createManualClock();
  beforeAll(async () => {
    o = await listenWithGateway({}, { clock }, (app) => app.get('/test/gateway-parent', async (_req, reply) => reply.type('text/html').send(PARENT)));
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await o?.close();
  });

  async function parentWithFrame(src: string): Promise<{ page: Page; frame: Frame; appRequests: string[] }> {
    const page = await browser.newPage();
    // Everything the page sends to the app's origin, bodies included: the card must never be among it.
    const appRequests: string[] = [];
    page.on('request', (r) => {
      if (r.url().startsWith(o.appUrl)) appRequests.push(`${r.method()} ${r.url()} ${r.postData() ?? ''}`);
    });
    await page.goto(`${o.appUrl}/test/gateway-parent`);
    await page.evaluate(() => (window as any).config);
    await page.evaluate((url) => {
      (document.getElementById('gw') as HTMLIFrameElement).src = url;
    }, src);
    await wait(page, 'enroll-gateway:ready');
    const frame = page.frames().find((f) => f.url().startsWith(o.gatewayUrl))!;
    return { page, frame, appRequests };
  }

  const fieldsUrl = (locale = 'en') => `${o.gatewayUrl}/sandbox-gateway/hosted/card-fields?parent_origin=${encodeURIComponent(o.appUrl)}&locale=${locale}`;
  const submit = (page: Page, gatewayUrl: string) =>
    page.evaluate((gw) => (document.getElementById('gw') as HTMLIFrameElement).contentWindow!.postMessage({ type: 'enroll-gateway:submit' }, gw), gatewayUrl);

  it('tokenizes a typed card on the gateway origin and hands the parent only a token', async () => {
    const { page, frame, appRequests } = await parentWithFrame(fieldsUrl());
    await frame.fill('#number', '4242 4242 4242 4242');
    await frame.fill('#exp', `12/${(new Date().getUTCFullYear() + 3) % 100}`);
    await frame.fill('#cvc', '123');
    await submit(page, o.gatewayUrl);
    const msg: any = await wait(page, 'enroll-gateway:token');
    expect(msg).toMatchObject({ token: expect.stringMatching(/^tok_/), card: { brand: 'visa', last4: '4242' } });
    // The fields are emptied once tokenized.
    expect(await frame.inputValue('#number')).toBe('');

    // The token is all the app needs: it attaches and completes through the app's API.
    const { id } = await enrollUpToPayment(o.t.app, o.t.deps, 'hosted-fields@example.com');
    expect((await call(o.t.app, 'PUT', `/v1/enrollments/${id}/payment-method`, { token: msg.token })).status).toBe(200);
    expect(appRequests.join('\n')).not.toMatch(/4242\s?4242\s?4242\s?4242/);
    await page.close();
  });

  it('shows field errors and reports them by code, in the page\'s language and direction', async () => {
    const { page, frame } = await parentWithFrame(fieldsUrl('ar'));
    expect(await frame.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(['ar', 'rtl']);
    await frame.fill('#number', '4242 4242 4242 4241');
    await frame.fill('#exp', '13/99');
    await frame.fill('#cvc', '1');
    await submit(page, o.gatewayUrl);
    const msg: any = await wait(page, 'enroll-gateway:error');
    expect(msg).toMatchObject({ code: 'gateway_card_invalid', fields: { number: ['invalid_number'], exp: expect.any(Array), cvc: ['invalid_cvc'] } });
    expect(await frame.getAttribute('#number', 'aria-invalid')).toBe('true');
    await page.close();
  });

  it('ignores a submit from any window but its parent at the parent origin', async () => {
    const { page } = await parentWithFrame(fieldsUrl());
    const frame = page.frames().find((f) => f.url().startsWith(o.gatewayUrl))!;
    await frame.fill('#number', '4242424242424242');
    await frame.fill('#exp', `12/${(new Date().getUTCFullYear() + 3) % 100}`);
    await frame.fill('#cvc', '123');
    // A sibling frame on another origin (127.0.0.1 instead of localhost: same server, other origin) asks for a token.
    const evilOrigin = o.appUrl.replace('localhost', '127.0.0.1');
    await page.evaluate((url) => {
      (document.getElementById('other') as HTMLIFrameElement).src = url;
    }, `${evilOrigin}/test/gateway-parent`);
    const sibling = await (async () => {
      for (let i = 0; i < 50; i++) {
        const f = page.frames().find((x) => x.url().startsWith(evilOrigin));
        if (f) return f;
        await page.waitForTimeout(100);
      }
      throw new Error('sibling frame did not load');
    })();
    await sibling.waitForLoadState();
    await sibling.evaluate((gw) => (window.parent.frames[0] as Window).postMessage({ type: 'enroll-gateway:submit' }, gw), o.gatewayUrl);
    await page.waitForTimeout(1000);
    expect(await page.evaluate(() => (window as any).received.map((m: any) => m.type))).not.toContain('enroll-gateway:token');
    // The real parent still can.
    await submit(page, o.gatewayUrl);
    expect(await wait(page, 'enroll-gateway:token')).toMatchObject({ token: expect.stringMatching(/^tok_/) });
    await page.close();
  });

  async function challengeFlow(email: string, card: string) {
    const { id } = await enrollUpToPayment(o.t.app, o.t.deps, email, { card });
    const first = await call(o.t.app, 'POST', `/v1/enrollments/${id}/complete`, undefined, { origin: o.appUrl });
    expect(first.body).toMatchObject({ code: 'payment_authentication_required', advice: 'authenticate' });
    const { page, frame } = await parentWithFrame(first.body.next_action.url);
    await frame.click('#ok');
    const done: any = await wait(page, 'enroll-gateway:challenge-complete');
    expect(done).toEqual({ type: 'enroll-gateway:challenge-complete', challenge_id: first.body.next_action.challenge_id, outcome: 'succeeded' });
    // The browser completes the enrollment itself, on the app's origin.
    const res = await page.evaluate(async (enrollmentId) => {
      const r = await fetch(`/v1/enrollments/${enrollmentId}/complete`, { method: 'POST' });
      return { status: r.status, body: await r.json() };
    }, id);
    await page.close();
    return { id, res };
  }

  it('a challenge approved in the gateway frame lets the completion capture exactly one charge', async () => {
    const { id, res } = await challengeFlow('3ds-browser@example.com', THREE_DS_CARDS.authentication_required);
    expect(res.status).toBe(200);
    expect(await completionCounts(o.t.db, id)).toEqual(EXACTLY_ONE);
  });

  it('the 4000008260003178 card, approved, ends in insufficient funds and leaves the enrollment open', async () => {
    const { id, res } = await challengeFlow('3ds-browser-funds@example.com', THREE_DS_CARDS.authentication_then_insufficient_funds);
    expect(res).toMatchObject({ status: 402, body: { code: 'payment_insufficient_funds', decline_code: 'insufficient_funds', advice: 'try_another_card' } });
    expect((await call(o.t.app, 'GET', `/v1/enrollments/${id}`)).body.status).toBe('plan_selected');
  });

  it('a challenge approved after its deadline is refused: the page says it expired and tells the parent so', async () => {
    const { id } = await enrollUpToPayment(o.t.app, o.t.deps, '3ds-browser-late@example.com', { card: THREE_DS_CARDS.authentication_required });
    const first = await call(o.t.app, 'POST', `/v1/enrollments/${id}/complete`, undefined, { origin: o.appUrl });
    const { page, frame } = await parentWithFrame(first.body.next_action.url);
    // The cardholder leaves the page open past the deadline, then presses Approve.
    clock.advance(15 * 60_000);
    await frame.click('#ok');
    const done: any = await wait(page, 'enroll-gateway:challenge-complete');
    expect(done).toEqual({ type: 'enroll-gateway:challenge-complete', challenge_id: first.body.next_action.challenge_id, outcome: 'expired' });
    expect(await frame.evaluate(() => document.body.dataset.outcome)).toBe('expired');
    expect(await frame.isDisabled('#ok')).toBe(true);
    // Opened again, the page shows it expired at once.
    const again = await parentWithFrame(first.body.next_action.url);
    expect(await wait(again.page, 'enroll-gateway:challenge-complete')).toMatchObject({ outcome: 'expired' });
    await Promise.all([page.close(), again.page.close()]);
    expect((await call(o.t.app, 'POST', `/v1/enrollments/${id}/complete`)).body.code).toBe('payment_authentication_expired');
  });
});
