import { generate } from 'otplib';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './helpers/chromium.js';
import { completionCounts } from './helpers/counts.js';
import { accountWithEmailCode, expectAccessible, heading, mailedCode, newPage, payWith, shot, tabTo, useWebApp, type WebApp } from './helpers/web-e2e.js';

const statusOf = async (w: WebApp, id: string) => (await w.t.app.inject({ method: 'GET', url: `/v1/enrollments/${id}` })).json();
const focused = (page: Page) => page.evaluate(() => document.activeElement?.id ?? null);
const offered = (page: Page) => page.$$eval('main ul.factors button', (bs) => bs.map((b) => (b as HTMLButtonElement).name));

/**
 * The risk decision's step-up for a person who does not use a passkey: the app offers exactly the server's
 * factors, strongest first, and an authenticator app or a texted code gets them through to completion.
 * Headless Chromium's own user agent scores as a bot: a challenge (see the step-up test of the payment file).
 */
describe.skipIf(!chromiumAvailable)('the web app: a second factor other than a passkey', () => {
  const ctx = useWebApp();

  async function challengedAtPayment(email: string, opts: { phone?: string; lang?: string; card?: string } = {}) {
    const { context, page } = await newPage(ctx.browser, undefined, null);
    const id = await accountWithEmailCode(ctx.w, page, email, opts);
    await payWith(page, opts.card ?? '4242424242424242');
    await heading(page, '#factor-title');
    const listed = (await statusOf(ctx.w, id)).risk as { second_factor_required: boolean; factors: string[] };
    expect(listed.second_factor_required).toBe(true);
    expect(await focused(page)).toBe('factor-title');
    return { context, page, id, listed: listed.factors };
  }

  it('authenticator app, keyboard only: the QR code and the key as text; a wrong code is refused next to the input; the code from the shown key completes', async () => {
    const { context, page, id, listed } = await challengedAtPayment('totp-factor@example.com');
    expect(listed).toEqual(['passkey', 'totp']); // no phone on the profile: no SMS
    expect(await offered(page)).toEqual(['passkey-create', 'factor-totp']);
    await shot(page, 'en', 'second-factor-choice');
    await expectAccessible(page, 'en/second-factor choice');

    await tabTo(page, 'button[name=factor-totp]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('main #totp-secret');
    expect(await focused(page)).toBe('totp-title');
    // The server-rendered QR code decodes as an image (CSP img-src allows data: only for this).
    expect(await page.$eval('main img.qr', (img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0)).toBe(true);
    const secret = (await page.textContent('#totp-secret'))!.replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await shot(page, 'en', 'second-factor-totp');
    await expectAccessible(page, 'en/second-factor totp');

    const code = await generate({ secret });
    const wrong = String((Number(code) + 500_000) % 1_000_000).padStart(6, '0');
    await tabTo(page, '#f-code');
    const refused = page.waitForResponse((r) => r.url().endsWith('/totp/confirm'));
    await page.keyboard.type(wrong); // six digits submit on their own
    expect(await (await refused).json()).toMatchObject({ code: 'mfa_code_invalid' });
    await page.waitForSelector('#f-code-err');
    expect(await page.getAttribute('#f-code', 'aria-invalid')).toBe('true');
    expect((await statusOf(ctx.w, id)).status).toBe('payment_attached');

    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type(await generate({ secret }));
    await heading(page, '#done-title');
    expect((await statusOf(ctx.w, id)).status).toBe('completed');
    expect(await completionCounts(ctx.w.t.db, id)).toMatchObject({ customers: 1, subscriptions: 1, charges: 1 });
    await context.close();
  }, 90_000);

  it('in Japanese: the choice and the authenticator-app screens pass axe', async () => {
    const { context, page } = await challengedAtPayment('totp-factor-ja@example.com', { lang: 'ja' });
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ja');
    await shot(page, 'ja', 'second-factor-choice');
    await expectAccessible(page, 'ja/second-factor choice');
    await page.click('button[name=factor-totp]');
    await page.waitForSelector('main #totp-secret');
    await shot(page, 'ja', 'second-factor-totp');
    await expectAccessible(page, 'ja/second-factor totp');
    await context.close();
  }, 90_000);

  it('SMS to the profile\'s phone (in Arabic, right to left): the number masked, a too-early resend waits as the server says, the texted code completes', async () => {
    const phone = '+4915123456789';
    const { context, page, id, listed } = await challengedAtPayment('sms-factor@example.com', {
      phone: '+49 151 23456789',
      lang: 'ar',
      card: '4000002760000016', // issued in Germany, as the phone: a card and phone from two countries would add up to a review
    });
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    expect(listed).toEqual(['passkey', 'totp', 'sms']);
    expect(await offered(page)).toEqual(['passkey-create', 'factor-totp', 'factor-sms']);
    const label = (await page.textContent('button[name=factor-sms]'))!;
    expect(label).toContain('89');
    expect(label).not.toContain('23456789');
    expect(await page.textContent('button[name=factor-sms] [aria-hidden=true]')).toMatch(/^\+•+89$/); // read as "ending in 89"
    await shot(page, 'ar', 'second-factor-choice');
    await expectAccessible(page, 'ar/second-factor choice');

    await page.click('button[name=factor-sms]');
    await heading(page, '#sms-title');
    expect(await focused(page)).toBe('sms-title');
    const code = await mailedCode(ctx.w.t, phone);

    // Straight away is too soon for the server: it says how long to wait, and the app waits with it.
    const refused = page.waitForResponse((r) => r.url().endsWith('/verification') && r.request().method() === 'POST');
    await page.click('button[name=sms-resend]');
    expect(await (await refused).json()).toMatchObject({ code: 'identity_resend_limited' });
    await page.waitForSelector('#resend-wait[role=status]');
    expect(await page.getAttribute('#f-code', 'aria-invalid')).toBeNull(); // about the button, not the code typed
    expect(await page.getAttribute('button[name=sms-resend]', 'aria-disabled')).toBe('true');
    await shot(page, 'ar', 'second-factor-sms');
    await expectAccessible(page, 'ar/second-factor sms');

    // Back to the choice and into SMS again, still within the interval: the code already sent stays the one to enter.
    await page.click('button[name=factor-back]');
    await heading(page, '#factor-title');
    expect(await focused(page)).toBe('factor-title');
    await page.click('button[name=factor-sms]');
    await heading(page, '#sms-title');
    await page.waitForSelector('#resend-wait');

    await page.fill('#f-code', code);
    await heading(page, '#done-title');
    expect((await statusOf(ctx.w, id)).status).toBe('completed');
    expect(await completionCounts(ctx.w.t.db, id)).toMatchObject({ customers: 1, subscriptions: 1, charges: 1 });
    await context.close();
  }, 90_000);
});
