import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './helpers/chromium.js';
import { accountWithEmailCode, enterCard, expectAccessible, heading, newPage, payWith, shot, useWebApp, welcomeLink, type WebApp } from './helpers/web-e2e.js';

const statusOf = async (w: WebApp, id: string) => (await w.t.app.inject({ method: 'GET', url: `/v1/enrollments/${id}` })).json();

describe.skipIf(!chromiumAvailable)('the web app: email code, declines, resume, step-up, dashboard', () => {
  const ctx = useWebApp();

  it('validates as the user types with the server\'s rules, the message next to its input', async () => {
    const { context, page } = await newPage(ctx.browser);
    await page.goto(`${ctx.w.appUrl}/?lang=en`);
    await page.click('button[name=choose-starter]');
    await page.fill('#f-email', 'anna@@example');
    await page.waitForSelector('#f-email-err');
    expect(await page.getAttribute('#f-email', 'aria-invalid')).toBe('true');
    await page.fill('#f-email', 'anna@bücher.de'); // IDN: valid for the server's normalizeEmail, so valid here
    await page.waitForSelector('#f-email-err', { state: 'detached' });
    await page.fill('#f-phone', '12');
    await page.waitForSelector('#f-phone-err');
    await page.fill('#f-phone', '+49 151 23456789');
    await page.waitForSelector('#f-phone-err', { state: 'detached' });
    // Submitting without the required consent focuses it and says why, next to it.
    await page.fill('#f-given_name', 'Anna');
    await page.fill('#f-family_name', 'Muster');
    await page.click('button[name=profile-continue]');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-agree');
    await expectAccessible(page, 'account with errors');
    await context.close();
  }, 60_000);

  it('switches language (with direction) and currency, prices formatted by Intl', async () => {
    const { context, page } = await newPage(ctx.browser);
    await page.goto(`${ctx.w.appUrl}/?lang=en`);
    await page.waitForSelector('button[name=choose-pro]');
    await page.selectOption('select[aria-label=Language]', 'ar');
    await page.waitForFunction(() => document.documentElement.dir === 'rtl' && document.documentElement.lang === 'ar');
    await page.waitForSelector('button[name=choose-pro]');
    const langSelect = await page.$('header select');
    await langSelect!.selectOption('de');
    await page.waitForFunction(() => document.documentElement.lang === 'de' && document.documentElement.dir === 'ltr');
    const currency = (await page.$$('header select'))[1];
    await currency.selectOption('JPY');
    await page.waitForFunction(() => document.querySelector('.plan.recommended .amount')?.textContent?.includes('¥'));
    const plans = (await ctx.w.t.app.inject({ method: 'GET', url: '/v1/plans?currency=JPY&locale=de' })).json();
    const monthly = plans.plans.find((p: { recommended: boolean }) => p.recommended).prices.find((x: { interval: string }) => x.interval === 'month');
    expect(await page.textContent('.plan.recommended .amount')).toBe(new Intl.NumberFormat('de', { style: 'currency', currency: 'JPY' }).format(monthly.amount));
    await context.close();
  }, 60_000);

  it('email-code path: a declined card keeps the customer on the payment step with the reason at the card; another card completes; the welcome link opens the dashboard', async () => {
    const { context, page } = await newPage(ctx.browser);
    const email = 'declined-then-ok@example.com';
    const id = await accountWithEmailCode(ctx.w, page, email);
    await payWith(page, '4000000000000002');
    await page.waitForSelector('#f-card-err');
    await shot(page, 'en', 'payment-declined');
    await expectAccessible(page, 'payment declined');
    expect(await statusOf(ctx.w, id)).toMatchObject({ status: 'plan_selected', payment_method: null, last_decline: { decline_code: 'generic_decline' } });

    await enterCard(page, '4242424242424242');
    await page.click('button[name=pay]');
    await heading(page, '#done-title');
    expect((await statusOf(ctx.w, id)).status).toBe('completed');

    // No passkey: the dashboard opens from the welcome email's one-time link.
    await page.goto(`${ctx.w.appUrl}${await welcomeLink(ctx.w.t, email)}`);
    await page.waitForURL(/\/dashboard$/);
    await page.waitForSelector('#plan .big');
    expect(await page.textContent('#plan')).toContain('4242');
    await context.close();
  }, 90_000);

  it('resumes after a reload and on another device from the URL, never asking again for what was given', async () => {
    const { context, page } = await newPage(ctx.browser);
    const id = await accountWithEmailCode(ctx.w, page, 'resume@example.com', 'business');
    const url = page.url();
    await page.reload();
    await heading(page, '#confirm-title');
    expect(await page.$('#f-given_name')).toBeNull();
    expect(await page.$('#f-code')).toBeNull();
    await shot(page, 'en', 'resume-after-reload');

    // Another device (a fresh browser context, nothing in its storage) opens the same link.
    const other = await newPage(ctx.browser);
    await other.page.goto(url);
    await heading(other.page, '#confirm-title');
    expect(await other.page.$('#f-given_name')).toBeNull();
    await payWith(other.page, '4242424242424242');
    await heading(other.page, '#done-title');
    expect((await statusOf(ctx.w, id)).status).toBe('completed');
    await other.context.close();
    await context.close();
  }, 90_000);

  it('asks for a second factor only when the risk decision does: a headless browser is challenged, proves a passkey, completes', async () => {
    // The default user agent of headless Chromium scores as a bot (bot_headless_ua): a challenge, not a denial.
    const { context, page } = await newPage(ctx.browser, undefined, null);
    const id = await accountWithEmailCode(ctx.w, page, 'stepup@example.com');
    expect((await statusOf(ctx.w, id)).risk).toEqual({ second_factor_required: true, factors: expect.any(Array) });
    await payWith(page, '4242424242424242');
    await heading(page, '#factor-title');
    expect(await page.$('button[name=passkey-skip]')).toBeNull(); // a step-up cannot be skipped
    await shot(page, 'en', 'step-up');
    await page.click('button[name=passkey-create]');
    await heading(page, '#done-title');
    expect((await statusOf(ctx.w, id)).status).toBe('completed');
    await context.close();
  }, 90_000);

  it('runs only scripts from the committed inventory on the payment page, each matching its SHA-384 (PCI DSS 6.4.3, 11.6.1)', async () => {
    const inventory = JSON.parse(readFileSync(new URL('../web/script-inventory.json', import.meta.url), 'utf8')) as { scripts: { url: string; sha384: string }[] };
    const { context, page } = await newPage(ctx.browser);
    await accountWithEmailCode(ctx.w, page, 'inventory@example.com');
    await page.click('button[name=confirm-continue]');
    await page.waitForSelector('.card-frame iframe.ready');
    const ran = await page.evaluate(async () => {
      const urls = new Set<string>();
      for (const s of Array.from(document.scripts)) urls.add(s.src || 'inline');
      for (const e of performance.getEntriesByType('resource')) if ((e as PerformanceResourceTiming).initiatorType === 'script' || /\.m?js(\?|$)/.test(e.name)) urls.add(e.name);
      return Promise.all([...urls].map(async (u) => {
        if (u === 'inline') return { url: u, sha384: null };
        const bytes = await (await fetch(u)).arrayBuffer();
        const digest = btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.digest('SHA-384', bytes))));
        return { url: new URL(u).pathname, origin: new URL(u).origin, sha384: `sha384-${digest}` };
      }));
    });
    expect(ran.length).toBeGreaterThan(0);
    for (const s of ran) {
      expect(s.url, 'inline script on the payment page').not.toBe('inline');
      expect(inventory.scripts, `${s.url} is not in web/script-inventory.json`).toContainEqual({ url: s.url, sha384: s.sha384 });
    }
    await context.close();
  }, 60_000);

  it('withdraws a consent and downloads the data export from the dashboard', async () => {
    const { context, page } = await newPage(ctx.browser);
    const email = 'dashboard-consents@example.com';
    await accountWithEmailCode(ctx.w, page, email);
    await payWith(page, '4242424242424242');
    await heading(page, '#done-title');
    await page.goto(`${ctx.w.appUrl}${await welcomeLink(ctx.w.t, email)}`);
    await page.waitForSelector('#consents li[data-purpose=marketing_email] button[name=withdraw-marketing_email]');
    await expectAccessible(page, 'dashboard');
    await page.click('button[name=withdraw-marketing_email]');
    await page.waitForSelector('#consents li[data-purpose=marketing_email] button[name=withdraw-marketing_email]', { state: 'detached' });
    const customerId = (await page.evaluate(() => fetch('/v1/me').then((r) => r.json()))).customer.id as string;
    const consents = await page.evaluate((id) => fetch(`/v1/customers/${id}/consents`).then((r) => r.json()), customerId);
    const list = consents.state as { purpose: string; granted: boolean }[];
    expect(list.find((c) => c.purpose === 'marketing_email')).toMatchObject({ granted: false });
    await shot(page, 'en', 'dashboard-consent-withdrawn');

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('button[name=export]')]);
    const exported = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    expect(JSON.stringify(exported)).toContain(customerId);
    await context.close();
  }, 90_000);

  it('3-D Secure: the challenge opens in the gateway\'s frame; approving it completes the enrollment with one charge', async () => {
    const { context, page } = await newPage(ctx.browser);
    const id = await accountWithEmailCode(ctx.w, page, '3ds@example.com');
    await payWith(page, '4000002500003155');
    const challenge = await page.waitForSelector('dialog.challenge iframe');
    const frame = (await challenge.contentFrame())!;
    // The iframe is in the DOM before it navigates (its url is '' until then): wait for the page, then check its origin.
    await frame.waitForSelector('#ok');
    expect(new URL(frame.url()).origin).toBe(ctx.w.gatewayUrl);
    await shot(page, 'en', 'payment-3ds-challenge');
    await frame.click('#ok');
    await heading(page, '#done-title');
    expect((await statusOf(ctx.w, id)).status).toBe('completed');
    await context.close();
  }, 90_000);
});
