import { describe, expect, it } from 'vitest';
import { SUPPORTED_LOCALES, translate } from '../i18n/index.js';
import { EMAIL_LOCALES, renderEmail, resolveEmailLocale, type EmailTemplate } from './templates.js';

const VARS: Record<EmailTemplate, Record<string, string | number | Date>> = {
  'verification-code': { code: '493817', minutes: 10 },
  'step-up-code': { code: '305172', minutes: 10 },
  'account-exists': { sign_in_url: 'https://app.example/sign-in' },
  welcome: { given_name: 'Ada', tenant_id: 'ten_01j9zz', plan_name: 'Team', dashboard_url: 'https://app.example/d/abc' },
  'sign-in-link': { given_name: 'Ada', dashboard_url: 'https://app.example/app?token=t0k', minutes: 30 },
  'trial-ending': { given_name: 'Ada', plan_name: 'Team', amount: '19,00 €', due_date: new Date('2026-12-09T10:00:00.000Z') },
  'trial-ending-no-card': {
    given_name: 'Ada', plan_name: 'Team', amount: '19,00 €', due_date: new Date('2026-12-09T10:00:00.000Z'), dashboard_url: 'https://app.example/app?token=t0k', end_behaviour: 'paused',
  },
  'payment-failed': { given_name: 'Ada', plan_name: 'Team', amount: '19,00 €', retry_date: new Date('2026-12-10T10:00:00.000Z') },
  'subscription-ended': { given_name: 'Ada', plan_name: 'Team' },
  'marketing-news': { given_name: 'Ada', preferences_url: 'https://app.example/app' },
};

describe('email templates', () => {
  it('has en and de at least', () => {
    expect(EMAIL_LOCALES).toEqual(expect.arrayContaining(['en', 'de']));
  });

  for (const locale of ['en', 'de']) {
    for (const template of Object.keys(VARS) as EmailTemplate[]) {
      it(`${template} renders in ${locale} with every var substituted`, () => {
        const vars = VARS[template];
        const out = renderEmail(template, locale, vars);
        for (const part of [out.subject, out.text, out.html]) {
          expect(part).not.toContain('{');
          expect(part).not.toContain('}');
          expect(part).not.toContain('undefined');
        }
        for (const [name, value] of Object.entries(vars)) {
          if (name === 'minutes') continue; // formatted: see below
          if (name === 'end_behaviour') continue; // picks a paragraph: see the card-less reminder below
          if (value instanceof Date) {
            // Dates go through ICU's date format: the year and the day of the month must be there.
            expect(out.text, name).toContain(String(value.getUTCFullYear()));
            expect(out.text, name).toMatch(new RegExp(`\\b${value.getUTCDate()}\\b`));
            continue;
          }
          expect(out.text, name).toContain(String(value));
          expect(out.html, name).toContain(String(value));
        }
        expect(out.subject).not.toMatch(/[\r\n]/);
        expect(out.html).toContain(`<html lang="${locale}">`);
      });
    }
  }

  it('localizes: German is German, and minutes are formatted for the locale', () => {
    const en = renderEmail('verification-code', 'en', { code: '1', minutes: 10 });
    const de = renderEmail('verification-code', 'de', { code: '1', minutes: 10 });
    expect(en.text).toContain('10 minutes');
    expect(de.text).toContain('10 Minuten');
    expect(de.subject).toBe('Ihr Bestätigungscode für Enroll');
    expect(renderEmail('verification-code', 'en', { code: '1', minutes: 1 }).text).toContain('1 minute.');
  });

  it('account-exists tells the owner about the attempt and carries no code', () => {
    for (const locale of ['en', 'de']) {
      const out = renderEmail('account-exists', locale, VARS['account-exists']);
      expect(out.text).toContain('https://app.example/sign-in');
      expect(out.text).not.toMatch(/\d{6}/);
    }
  });

  it('falls back de-DE → de → en', () => {
    expect(resolveEmailLocale('de-DE')).toBe('de');
    expect(resolveEmailLocale('de_AT')).toBe('de');
    expect(resolveEmailLocale('DE')).toBe('de');
    // fr and ja have catalogues since issue 4 part 2; a language without one still falls back to English.
    expect(resolveEmailLocale('fr-FR')).toBe('fr');
    expect(resolveEmailLocale('pt-PT')).toBe('pt-BR');
    expect(resolveEmailLocale('sv-SE')).toBe('en');
    expect(resolveEmailLocale('')).toBe('en');
    expect(renderEmail('welcome', 'de-CH', VARS.welcome).subject).toBe('Willkommen bei Enroll, Ada');
    expect(renderEmail('welcome', 'ja-JP', VARS.welcome).subject).toBe('Ada 様、Enroll へようこそ');
    expect(renderEmail('welcome', 'sv-SE', VARS.welcome).subject).toBe('Welcome to Enroll, Ada');
  });

  it('escapes vars in html (and only there), and keeps the subject on one line', () => {
    const out = renderEmail('welcome', 'en', {
      given_name: '<script>alert("x")</script>\r\nBcc: evil@example.com',
      tenant_id: 'ten_1', plan_name: 'A & B', dashboard_url: 'https://app.example/d?a=1&b="2"',
    });
    expect(out.html).not.toContain('<script>');
    expect(out.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(out.html).toContain('A &amp; B');
    expect(out.html).toContain('href="https://app.example/d?a=1&amp;b=&quot;2&quot;"');
    expect(out.text).toContain('A & B');
    expect(out.subject).not.toMatch(/[\r\n]/);
  });

  it('never turns a non-web URL into a link', () => {
    const out = renderEmail('account-exists', 'en', { sign_in_url: 'javascript:alert(1)' });
    expect(out.html).not.toContain('href=');
  });

  it('the card-less trial reminder picks the paragraph for the configured end behaviour, links the dashboard, and never speaks of a card on file', () => {
    const behaviours = ['past_due', 'paused', 'canceled'];
    for (const locale of SUPPORTED_LOCALES) {
      const withCard = renderEmail('trial-ending', locale, VARS['trial-ending']);
      for (const b of behaviours) {
        const out = renderEmail('trial-ending-no-card', locale, { ...VARS['trial-ending-no-card'], end_behaviour: b });
        const para = (x: string) => translate(`email.trial_ending_no_card.otherwise_${x}`, locale, {});
        expect(out.text, `${locale} ${b}`).toContain(para(b));
        for (const other of behaviours.filter((x) => x !== b)) expect(out.text, `${locale} ${b}`).not.toContain(para(other));
        expect(out.html).toContain('href="https://app.example/app?token=t0k"');
        expect(out.text).toContain(translate('email.trial_ending_no_card.add_card', locale, { amount: '19,00 €' }));
        // The card-on-file sentence of the usual reminder is not in it.
        expect(out.text).not.toContain(withCard.text.split('\n\n')[1]);
        expect(out.subject).not.toBe(withCard.subject);
      }
    }
  });

  it('refuses a card-less reminder without a known end behaviour', () => {
    const { end_behaviour: _, ...rest } = VARS['trial-ending-no-card'];
    expect(() => renderEmail('trial-ending-no-card', 'en', rest)).toThrow(/end_behaviour/);
    expect(() => renderEmail('trial-ending-no-card', 'en', { ...rest, end_behaviour: 'pause' })).toThrow(/end_behaviour/);
  });

  it('refuses to render with a missing var', () => {
    expect(() => renderEmail('welcome', 'en', { given_name: 'Ada' })).toThrow(/tenant_id/);
    expect(() => renderEmail('verification-code', 'de', { minutes: 10 })).toThrow(/code/);
  });
});
