import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, CDPSession, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { launchChromium } from './chromium.js';
import { HARNESS_RISK_SCORES, type TestApp } from './app.js';
import { listenWithGateway } from './gateway.js';

/** A desktop Chrome user agent: the risk engine scores a headless one as a bot (see the step-up test). */
export const DESKTOP_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';
export const DESKTOP = { width: 1440, height: 900 };
export const MOBILE = { width: 390, height: 844 };

export interface WebApp { t: TestApp; appUrl: string; gatewayUrl: string; close(): Promise<void> }

/**
 * The service over loopback on http://localhost (a passkey needs a host name, not an IP), with the card fields
 * and 3-D Secure challenges served from the embedded gateway's own listener, another origin, as in production.
 */
export async function startWebApp(env: Record<string, string> = {}): Promise<WebApp> {
  return listenWithGateway({ RISK_SCORES: HARNESS_RISK_SCORES, ...env });
}

export async function newPage(browser: Browser, viewport = DESKTOP, userAgent: string | null = DESKTOP_UA): Promise<{ context: BrowserContext; page: Page; cdp: CDPSession }> {
  const context = await browser.newContext({ viewport, acceptDownloads: true, ...(userAgent ? { userAgent } : {}) });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return { context, page, cdp };
}

/** Screenshots of every step, per locale: artifacts/screenshots/<locale>/<step>.png (git-ignored). */
export async function shot(page: Page, locale: string, step: string) {
  const dir = join('artifacts', 'screenshots', locale);
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${step}.png`), fullPage: true });
}

/** WCAG 2.2 AA by axe-core: no serious or critical violation on the page (its frames included). */
export async function expectAccessible(page: Page, where: string) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) }));
  expect(bad, `axe on ${where}`).toEqual([]);
}

/** The layout holds: nothing forces a horizontal scroll. */
export async function expectNoHorizontalScroll(page: Page, where: string) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `horizontal overflow on ${where}`).toBeLessThanOrEqual(0);
}

export async function cardFrame(page: Page): Promise<Frame> {
  const handle = await page.waitForSelector('.card-frame iframe.ready');
  return (await handle.contentFrame())!;
}

/** Reads the newest 6-digit code mailed to `to` (the outbox runs first). */
export async function mailedCode(t: TestApp, to: string): Promise<string> {
  // The browser's click has not necessarily reached the server yet (slower on PostgreSQL): poll for a while.
  for (const deadline = Date.now() + 10_000; ; await new Promise((r) => setTimeout(r, 100))) {
    await t.deps.worker.drain();
    const res = await t.app.inject({ method: 'GET', url: `/dev/mailbox?to=${encodeURIComponent(to)}` });
    const msgs = res.json().messages as { text: string }[];
    const m = /\b(\d{6})\b/.exec(msgs[msgs.length - 1]?.text ?? '');
    if (m) return m[1]!;
    if (Date.now() > deadline) throw new Error(`no code for ${to}`);
  }
}

export async function welcomeLink(t: TestApp, to: string): Promise<string> {
  await t.deps.worker.drain();
  const res = await t.app.inject({ method: 'GET', url: `/dev/mailbox?to=${encodeURIComponent(to)}` });
  const msgs = res.json().messages as { text: string }[];
  for (const m of [...msgs].reverse()) {
    const link = /\/app\?token=[\w-]+/.exec(m.text);
    if (link) return link[0];
  }
  throw new Error(`no dashboard link for ${to}`);
}

/**
 * Plans → account (with the optional marketing consent, and a phone when given) → code → "not now" to the
 * passkey: lands on the quote. Returns the enrollment id.
 */
export async function accountWithEmailCode(w: WebApp, page: Page, email: string, opts: string | { plan?: string; phone?: string; lang?: string } = {}) {
  const { plan = 'starter', phone, lang = 'en' } = typeof opts === 'string' ? { plan: opts } : opts;
  await page.goto(`${w.appUrl}/?lang=${lang}`);
  await page.click(`button[name=choose-${plan}]`);
  await page.fill('#f-given_name', 'Ben');
  await page.fill('#f-family_name', 'Beispiel');
  await page.fill('#f-email', email);
  if (phone) await page.fill('#f-phone', phone);
  await page.check('#f-agree');
  await page.check('#f-marketing');
  await page.click('button[name=profile-continue]');
  await page.fill('#f-code', await mailedCode(w.t, email));
  await page.click('button[name=passkey-skip]', { timeout: 10_000 });
  await heading(page, '#confirm-title');
  return /\/enroll\/(enr_\w+)/.exec(page.url())![1]!;
}

/** From the quote: on to payment, a card in the gateway's frame, Pay. */
export async function payWith(page: Page, number: string) {
  await page.click('button[name=confirm-continue]');
  await enterCard(page, number);
  await page.click('button[name=pay]');
}

/** Waits until the step's heading (by its test name) is on screen. */
export const heading = (page: Page, selector: string) => page.waitForSelector(`main ${selector}`, { state: 'visible' });

/** One app and one browser per test file (the suite runs on 2 cores): registered here, read through the getter. */
export function useWebApp(env: Record<string, string> = {}): { readonly w: WebApp; readonly browser: Browser } {
  const state = {} as { w: WebApp; browser: Browser };
  beforeAll(async () => {
    [state.w, state.browser] = await Promise.all([startWebApp(env), launchChromium()]);
  }, 60_000);
  afterAll(async () => {
    await state.browser?.close();
    await state.w?.close();
  });
  return state;
}

export const cardExpiry = `12/${String((new Date().getUTCFullYear() + 3) % 100).padStart(2, '0')}`;

/** Types a card into the gateway's frame; `fill` lets a caller count the inputs. */
export async function enterCard(page: Page, number: string, fill?: (frame: Frame, selector: string, value: string) => Promise<void>) {
  const frame = await cardFrame(page);
  const type = fill ?? ((f: Frame, sel: string, v: string) => f.fill(sel, v));
  await type(frame, '#number', number);
  await type(frame, '#exp', cardExpiry);
  await type(frame, '#cvc', '123');
}

/**
 * Keyboard only: Tab (never a click) until the element matching `selector` has focus, in the page or inside the
 * gateway's card frame (`frame: true`) or another frame (`frame: 'dialog.challenge iframe'`). Fails when it is
 * not reachable within `max` presses.
 */
export async function tabTo(page: Page, selector: string, opts: { frame?: boolean | string; max?: number } = {}) {
  const frameSelector = opts.frame === true ? '.card-frame iframe' : opts.frame;
  for (let i = 0; i < (opts.max ?? 60); i++) {
    await page.keyboard.press('Tab');
    const target = frameSelector ? await (await page.$(frameSelector))?.contentFrame() : page.mainFrame();
    if (target && (await target.evaluate((sel) => document.activeElement?.matches(sel) ?? false, selector))) return;
  }
  throw new Error(`${selector} is not reachable with the Tab key`);
}
