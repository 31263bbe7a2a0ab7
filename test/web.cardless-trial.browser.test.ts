import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './helpers/chromium.js';
import { completionCounts } from './helpers/counts.js';
import { enterCard, expectAccessible, expectNoHorizontalScroll, heading, mailedCode, MOBILE, newPage, shot, useWebApp, welcomeLink, type WebApp } from './helpers/web-e2e.js';

const statusOf = async (w: WebApp, id: string) => (await w.t.app.inject({ method: 'GET', url: `/v1/enrollments/${id}` })).json();
const allCharges = async (w: WebApp) => (await w.t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM gateway_charges')).rows[0]!.n;
const progressSteps = (page: Page) => page.$$eval('main nav.progress li', (lis) => lis.length);

/** Every request the page (and any frame in it) makes to the gateway's origin: a card-less path makes none. */
function watchGateway(page: Page, w: WebApp): string[] {
  const seen: string[] = [];
  page.on('request', (r) => { if (new URL(r.url()).origin === w.gatewayUrl) seen.push(r.url()); });
  return seen;
}

/** The account step and its emailed code, for a plan already picked. */
async function account(page: Page, w: WebApp, email: string, [given, family]: [string, string]) {
  await page.fill('#f-given_name', given);
  await page.fill('#f-family_name', family);
  await page.fill('#f-email', email);
  await page.check('#f-agree');
  await page.click('button[name=profile-continue]');
  await page.fill('#f-code', await mailedCode(w.t, email));
}

/** A trial that needs no card (the catalogue's `pro`: 14 days, `trial_card_required: false`). */
describe.skipIf(!chromiumAvailable)('the web app: a trial without a card', () => {
  const ctx = useWebApp();

  it('says which trial needs no card, starts it without ever loading the card frame, charges nothing; the dashboard adds the first card', async () => {
    const { context, page } = await newPage(ctx.browser);
    const gateway = watchGateway(page, ctx.w);
    const chargesBefore = await allCharges(ctx.w);
    const email = 'cardless-en@example.com';

    await page.goto(`${ctx.w.appUrl}/?lang=en`);
    await page.waitForSelector('button[name=choose-pro]');
    // The plan cards and the comparison say it for the card-less trial, and only for it.
    const plans = (await ctx.w.t.app.inject({ method: 'GET', url: '/v1/plans?locale=en&currency=EUR' })).json().plans as { id: string; trial_days: number; trial_card_required: boolean }[];
    const cardless = plans.filter((p) => p.trial_days > 0 && !p.trial_card_required).map((p) => p.id);
    expect(cardless).toEqual(['pro']);
    for (const p of plans) expect(await page.$(`li.plan[aria-labelledby=plan-${p.id}] .no-card`), p.id).toEqual(cardless.includes(p.id) ? expect.anything() : null);
    const trialRow = await page.$$eval('tr[data-row=trial] td', (tds) => tds.map((td) => td.textContent));
    expect(trialRow).toHaveLength(plans.length);
    expect(new Set(trialRow).size).toBe(plans.length); // none, with a card, without one: three different cells
    await shot(page, 'en', 'plans-no-card');
    await expectAccessible(page, 'en/plans with the trial row');

    await page.click('button[name=choose-pro]');
    await page.waitForSelector('#f-given_name');
    // The path is one step shorter from the moment the plan is known: plan, account, confirm, done.
    await page.waitForFunction(() => document.querySelectorAll('main nav.progress li').length === 4);
    await account(page, ctx.w, email, ['Tina', 'Trial']);
    await heading(page, '#passkey-title');
    await page.click('button[name=passkey-create]');
    await heading(page, '#confirm-title');
    const id = /\/enroll\/(enr_\w+)/.exec(page.url())![1]!;
    // The server skipped the payment step: done, with no card on file.
    expect(await statusOf(ctx.w, id)).toMatchObject({ status: 'payment_attached', payment_method: null, steps: { payment: 'complete' }, next: expect.arrayContaining(['complete']) });
    expect(await progressSteps(page)).toBe(4);

    await page.click('button[name=confirm-continue]');
    await heading(page, '#trial-title');
    expect(await page.$('.card-frame')).toBeNull();
    expect(await progressSteps(page)).toBe(4);
    expect(await page.$$eval('main nav.progress li', (lis) => lis.findIndex((li) => li.getAttribute('aria-current') === 'step'))).toBe(2);
    await shot(page, 'en', 'trial-no-card');
    await expectAccessible(page, 'en/trial without a card');

    await page.click('button[name=start-trial]');
    await heading(page, '#done-title');
    expect(await progressSteps(page)).toBe(4);
    const done = await statusOf(ctx.w, id);
    expect(done.status).toBe('completed');

    await page.click('button[name=passkey-sign-in]');
    await page.waitForSelector('#plan .status-trialing');
    await page.waitForSelector('#plan .no-card-on-file');
    const me = await page.evaluate(() => fetch('/v1/me').then((r) => r.json()));
    expect(me.subscriptions).toMatchObject([{ plan_id: 'pro', status: 'trialing', payment_method: null }]);
    await shot(page, 'en', 'dashboard-no-card');
    await expectAccessible(page, 'en/dashboard without a card');

    // Nothing was charged, nothing paid, no card saved, and the gateway was never even asked for its card frame.
    expect(await completionCounts(ctx.w.t.db, id)).toMatchObject({ subscriptions: 1, invoices: 1, payments: 0, charges: 0 });
    const invoices = await ctx.w.t.db.query('SELECT total FROM invoices i JOIN subscriptions s ON s.id = i.subscription_id WHERE s.enrollment_id = $1', [id]);
    expect(invoices.rows.map((r) => Number(r.total))).toEqual([0]);
    expect(await allCharges(ctx.w)).toBe(chargesBefore);
    expect(gateway).toEqual([]);
    const subId = me.subscriptions[0].id as string;
    expect((await ctx.w.t.db.query('SELECT payment_method_id FROM subscriptions WHERE id = $1', [subId])).rows[0].payment_method_id).toBeNull();

    // The first card, through the same card route as a change (after a passkey step-up): validated, not charged.
    await page.click('button[name=update-card]');
    await enterCard(page, '4242424242424242');
    await page.click('button[name=save-card]');
    await page.waitForSelector('#plan .alert-success');
    expect(await page.$('#plan .no-card-on-file')).toBeNull();
    expect(await page.textContent('#plan')).toContain('4242');
    const sub = (await ctx.w.t.db.query('SELECT status, payment_method_id FROM subscriptions WHERE id = $1', [subId])).rows[0];
    expect(sub.status).toBe('trialing');
    expect(sub.payment_method_id).toMatch(/^pm_/);
    const checks = await ctx.w.t.db.query('SELECT amount, captured FROM gateway_charges WHERE payment_method_id = $1', [sub.payment_method_id]);
    expect(checks.rows.map((r) => ({ amount: Number(r.amount), captured: r.captured }))).toEqual([{ amount: 0, captured: false }]);
    await context.close();
  }, 120_000);

  it('in Arabic (right to left) on a phone: the no-card screen and the dashboard without a card are accessible', async () => {
    const { context, page } = await newPage(ctx.browser, MOBILE);
    const gateway = watchGateway(page, ctx.w);
    const email = 'cardless-ar@example.com';
    await page.goto(`${ctx.w.appUrl}/?lang=ar`);
    await page.click('button[name=choose-pro]');
    await account(page, ctx.w, email, ['ليلى', 'حسن']);
    await page.click('button[name=passkey-skip]', { timeout: 10_000 });
    await heading(page, '#confirm-title');
    await page.click('button[name=confirm-continue]');
    await heading(page, '#trial-title');
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await progressSteps(page)).toBe(4);
    await shot(page, 'ar', 'trial-no-card');
    await expectAccessible(page, 'ar/trial without a card');
    await expectNoHorizontalScroll(page, 'ar/trial without a card@390');

    await page.click('button[name=start-trial]');
    await heading(page, '#done-title');
    const id = /\/enroll\/(enr_\w+)/.exec(page.url())![1]!;
    expect((await statusOf(ctx.w, id)).status).toBe('completed');
    await page.goto(`${ctx.w.appUrl}${await welcomeLink(ctx.w.t, email)}`);
    await page.waitForURL(/\/dashboard$/);
    // Signed in by the link; the dashboard in Arabic.
    await page.goto(`${ctx.w.appUrl}/dashboard?lang=ar`);
    await page.waitForSelector('#plan .no-card-on-file');
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await page.$('#plan .status-trialing')).not.toBeNull();
    await expectAccessible(page, 'ar/dashboard without a card');
    expect(await completionCounts(ctx.w.t.db, id)).toMatchObject({ payments: 0, charges: 0 });
    expect(gateway).toEqual([]);
    await context.close();
  }, 120_000);
});
