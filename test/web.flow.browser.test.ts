import { writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './helpers/chromium.js';
import { cardExpiry, DESKTOP, enterCard, expectAccessible, expectNoHorizontalScroll, heading, mailedCode, MOBILE, newPage, shot, tabTo, useWebApp } from './helpers/web-e2e.js';

/** Everything a person fills in is typed through this, so the test counts the inputs along the path. */
function counter(page: Page) {
  let inputs = 0;
  return {
    get inputs() { return inputs; },
    fill: async (selector: string, value: string, frame: Page | import('playwright-core').Frame = page) => { inputs += 1; await frame.fill(selector, value); },
    check: async (selector: string) => { inputs += 1; await page.check(selector); },
  };
}

async function lcp(page: Page): Promise<number> {
  return page.evaluate(() => new Promise<number>((resolve) => {
    new PerformanceObserver((list) => {
      const entries = list.getEntries();
      resolve(entries[entries.length - 1].startTime);
    }).observe({ type: 'largest-contentful-paint', buffered: true });
  }));
}

/** Server time along the path: every API call's request-to-response time, from the page's Resource Timing. */
const serverMs = (page: Page) => page.evaluate(() => performance.getEntriesByType('resource')
  .filter((e) => new URL(e.name).pathname.startsWith('/v1/'))
  .reduce((sum, e) => sum + ((e as PerformanceResourceTiming).responseEnd - (e as PerformanceResourceTiming).requestStart), 0));

describe.skipIf(!chromiumAvailable)('the web app in Chromium', () => {
  const ctx = useWebApp();

  /**
   * The passkey path from landing to dashboard: plans → account → code → passkey → confirm → payment → done →
   * dashboard, with screenshots, axe, layout and the time-to-first-value figures. Business: its trial needs a card
   * (the recommended Pro's does not, and skips the payment step: test/web.cardless-trial.browser.test.ts).
   */
  async function passkeyPath(locale: string, viewport: typeof DESKTOP) {
    const { context, page } = await newPage(ctx.browser, viewport);
    const c = counter(page);
    const email = `passkey-${locale}-${viewport.width}@example.com`;
    const walls: number[] = [];
    const step = async <T>(action: () => Promise<unknown>, until: () => Promise<T>) => {
      const t0 = Date.now();
      await action();
      const r = await until();
      walls.push(Date.now() - t0);
      return r;
    };
    const check = async (name: string) => {
      await shot(page, locale, name);
      await expectAccessible(page, `${locale}/${name}`);
      await expectNoHorizontalScroll(page, `${locale}/${name}@${viewport.width}`);
    };

    // A new visitor (empty cache, own context) of a running service: one earlier visit in another context warms the
    // server and the browser process, not this page's cache.
    const warm = await ctx.browser.newContext();
    await (await warm.newPage()).goto(`${ctx.w.appUrl}/?lang=${locale}`, { waitUntil: 'networkidle' });
    await warm.close();
    const t0 = Date.now();
    await page.goto(`${ctx.w.appUrl}/?lang=${locale}`);
    await page.waitForSelector('button[name=choose-pro]');
    const landingMs = Date.now() - t0;
    const paint = await lcp(page);
    expect(await page.getAttribute('html', 'dir')).toBe(locale === 'ar' ? 'rtl' : 'ltr');
    expect(await page.getAttribute('html', 'lang')).toBe(locale);
    expect(await page.$('.plan.recommended .reason')).not.toBeNull();
    await check('1-plans');

    await step(() => page.click('button[name=choose-business]'), () => page.waitForSelector('#f-given_name'));
    expect(page.url()).toMatch(/\/enroll\/enr_\w+\?plan=business&interval=month$/);
    await c.fill('#f-given_name', 'Anna');
    await c.fill('#f-family_name', 'Muster');
    await c.fill('#f-email', email);
    await c.check('#f-agree');
    await check('2-account');
    await step(() => page.click('button[name=profile-continue]'), () => page.waitForSelector('#f-code'));
    await check('3-code');
    await step(async () => c.fill('#f-code', await mailedCode(ctx.w.t, email)), () => heading(page, '#passkey-title'));
    await check('4-passkey');
    await step(() => page.click('button[name=passkey-create]'), () => heading(page, '#confirm-title'));
    await check('5-confirm');
    await step(() => page.click('button[name=confirm-continue]'), () => page.waitForSelector('.card-frame iframe.ready'));
    await enterCard(page, '4242424242424242', (frame, sel, v) => c.fill(sel, v, frame));
    await check('6-payment');
    await step(() => page.click('button[name=pay]'), () => heading(page, '#done-title'));
    await check('7-done');
    await step(() => page.click('button[name=passkey-sign-in]'), () => page.waitForSelector('#consents'));
    await page.waitForSelector('#passkeys li');
    await check('8-dashboard');
    const server = await serverMs(page);
    await context.close();
    return { inputs: c.inputs, lcp: paint, landingMs, server, walls };
  }

  it('passkey path in English at 1440×900: at most 8 inputs, LCP under 1.5 s, figures to bench/ttv.json', async () => {
    const r = await passkeyPath('en', DESKTOP);
    expect(r.inputs).toBeLessThanOrEqual(8);
    expect(r.lcp).toBeLessThan(1500);
    const wall = r.landingMs + r.walls.reduce((a, b) => a + b, 0);
    // Where the issue asks for it, and git-ignored like the screenshots: a test run must not leave the checkout dirty.
    writeFileSync('bench/ttv.json', `${JSON.stringify({
      measured_at: new Date().toISOString(),
      path: 'plans → account → email code → passkey → confirm → payment → done → dashboard (passkey sign-in)',
      inputs_filled: r.inputs,
      lcp_ms: Math.round(r.lcp),
      server_ms: Math.round(r.server),
      render_ms: Math.round(wall - r.server),
      server_plus_render_ms: Math.round(wall),
      note: 'server_ms: sum of request-to-response times of every /v1 call (Resource Timing); render_ms: the rest of the wall time from each click to the next step on screen (JS, layout, WebAuthn, frames), excluding the time a person spends typing',
    }, null, 2)}\n`);
  }, 120_000);

  it('passkey path in Japanese and Arabic (right to left) on a 390×844 phone', async () => {
    for (const locale of ['ja', 'ar']) {
      const r = await passkeyPath(locale, MOBILE);
      expect(r.inputs).toBeLessThanOrEqual(8);
    }
  }, 180_000);

  it('works with the keyboard alone, from the plans to the dashboard, and there replaces the card after a passkey step-up, then with a 3-D Secure card through its challenge', async () => {
    const { context, page } = await newPage(ctx.browser);
    const email = 'keyboard@example.com';
    const press = async (selector: string, key = 'Enter', frame: boolean | string = false) => { await tabTo(page, selector, { frame }); await page.keyboard.press(key); };
    const type = async (selector: string, text: string, frame: boolean | string = false) => { await tabTo(page, selector, { frame }); await page.keyboard.type(text); };
    const typeCard = async (number: string) => {
      await page.waitForSelector('.card-frame iframe.ready');
      for (const [sel, v] of [['#number', number], ['#exp', cardExpiry], ['#cvc', '123']]) await type(sel, v, true);
    };
    await page.goto(`${ctx.w.appUrl}/?lang=en`);
    await page.waitForSelector('button[name=choose-business]');
    await press('button[name=choose-business]'); // a trial that needs a card
    await page.waitForSelector('#f-given_name');
    await type('#f-given_name', 'Kay');
    await type('#f-family_name', 'Board');
    await type('#f-email', email);
    await press('#f-agree', 'Space');
    await press('button[name=profile-continue]');
    await page.waitForSelector('#f-code');
    await type('#f-code', await mailedCode(ctx.w.t, email));
    await heading(page, '#passkey-title');
    await press('button[name=passkey-create]');
    await heading(page, '#confirm-title');
    await press('button[name=confirm-continue]');
    await typeCard('4242424242424242');
    await press('button[name=pay]');
    await heading(page, '#done-title');
    await press('button[name=passkey-sign-in]');
    await page.waitForSelector('#passkeys li');

    // The card change needs a fresh proof of presence: the app answers session_step_up_required with a passkey touch.
    await press('button[name=update-card]');
    await typeCard('5555555555554444');
    await press('button[name=save-card]');
    await page.waitForSelector('#plan .alert-success');
    expect(await page.textContent('#plan')).toContain('4444');

    // Then to a card that needs 3-D Secure: the issuer's challenge opens in the gateway's frame, approving it
    // finishes the same change. One check of the new card at the gateway, the card swapped once.
    await press('button[name=update-card]');
    await typeCard('4000002500003155');
    await press('button[name=save-card]');
    const challenge = await page.waitForSelector('dialog.challenge iframe');
    const frame = (await challenge.contentFrame())!;
    await frame.waitForSelector('#ok');
    expect(new URL(frame.url()).origin).toBe(ctx.w.gatewayUrl);
    await press('#ok', 'Enter', 'dialog.challenge iframe');
    await page.waitForSelector('dialog.challenge', { state: 'detached' });
    await page.waitForFunction(() => document.querySelector('#plan .alert-success') && document.querySelector('#plan')!.textContent!.includes('3155'));
    const subId = (await page.evaluate(() => fetch('/v1/me').then((r) => r.json()))).subscriptions[0].id as string;
    const checks = await ctx.w.t.db.query(
      `SELECT c.status, m.last4 FROM gateway_charges c JOIN gateway_payment_methods m ON m.id = c.payment_method_id WHERE c.idempotency_key LIKE $1 ORDER BY c.created_at`,
      [`${subId}:change-payment:%`],
    );
    expect(checks.rows).toEqual([{ status: 'succeeded', last4: '4444' }, { status: 'succeeded', last4: '3155' }]);
    await context.close();
  }, 90_000);
});
