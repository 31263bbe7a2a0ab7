import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './helpers/chromium.js';
import { call, enrollUpToPayment } from './helpers/flow.js';
import { expectAccessible, heading, MOBILE, newPage, shot, useWebApp, welcomeLink } from './helpers/web-e2e.js';

/** A customer without a passkey comes back after the welcome link is spent: the sign-in page emails a fresh one. */
describe.skipIf(!chromiumAvailable)('the web app: sign in with an emailed link', () => {
  const ctx = useWebApp();

  it('asks for a link by email, says the same whatever the address, and the link opens the dashboard (en; ja and ar for the page)', async () => {
    const email = 'no-passkey@example.com';
    const { id } = await enrollUpToPayment(ctx.w.t.app, ctx.w.t.deps, email);
    expect((await call(ctx.w.t.app, 'POST', `/v1/enrollments/${id}/complete`)).status).toBe(200);
    const welcome = await welcomeLink(ctx.w.t, email);

    for (const [lang, viewport] of [['en', undefined], ['ja', undefined], ['ar', MOBILE]] as const) {
      const { context, page } = await newPage(ctx.browser, viewport);
      await page.goto(`${ctx.w.appUrl}/dashboard?lang=${lang}`);
      await heading(page, '#signin-title');
      // Keyboard only: into the address field, type, Enter submits.
      await page.focus('#f-signin-email');
      await page.keyboard.type(lang === 'en' ? email : 'unknown-person@example.com');
      const answer = page.waitForResponse((r) => r.url().endsWith('/v1/sessions/email-link'));
      await page.keyboard.press('Enter');
      expect((await answer).status()).toBe(202);
      await page.waitForSelector('main .alert-success');
      await shot(page, lang, 'sign-in-link-sent');
      await expectAccessible(page, `${lang}/sign-in link sent`);
      if (lang === 'en') {
        const link = await welcomeLink(ctx.w.t, email);
        expect(link).not.toBe(welcome); // a fresh link, not the spent one
        await page.goto(`${ctx.w.appUrl}${link}`);
        await page.waitForSelector('main .dash-head h1');
        expect(page.url()).toContain('/dashboard');
      }
      await context.close();
    }
    // The unknown address got nothing.
    expect((await call(ctx.w.t.app, 'GET', `/dev/mailbox?to=${encodeURIComponent('unknown-person@example.com')}`)).body.messages).toEqual([]);
  }, 90_000);
});
