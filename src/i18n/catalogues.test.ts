import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import '../app.js'; // registers every module's error codes
import { errorCatalogue } from '../kernel/errors.js';
import { catalogueMessages, loadCatalog } from '../pricing/index.js';
import {
  formattingLocale, loadCatalogues, messages, resolveLocale, sourceMessages, SUPPORTED_LOCALES, textDirection, translate, translationCoverage, TranslationCatalogueError,
} from './index.js';

const source = sourceMessages(catalogueMessages(loadCatalog()));

type ArgType = 'string' | 'number' | 'date';
/** The arguments a message uses, by name, with the type its ICU syntax implies. */
function argsOf(message: string): Map<string, ArgType> {
  const out = new Map<string, ArgType>();
  const walk = (els: MessageFormatElement[]) => {
    for (const el of els) {
      if (el.type === TYPE.argument) out.set(el.value, out.get(el.value) ?? 'string');
      else if (el.type === TYPE.number || el.type === TYPE.plural) out.set(el.value, 'number');
      else if (el.type === TYPE.date || el.type === TYPE.time) out.set(el.value, 'date');
      else if (el.type === TYPE.select) out.set(el.value, 'string');
      if (el.type === TYPE.plural || el.type === TYPE.select) for (const o of Object.values(el.options)) walk(o.value);
    }
  };
  walk(parse(message, { ignoreTag: true }));
  return out;
}

const SAMPLE: Record<ArgType, (n: number) => string | number | Date> = {
  string: (n) => `«arg${n}»`,
  number: (n) => [1, 2, 5, 11, 100][n % 5],
  date: () => new Date('2026-12-09T08:00:00Z'),
};

describe('translation catalogues', () => {
  it('serve en, de, fr, es, ja, pt-BR and ar', () => {
    expect(Object.keys(messages()).sort()).toEqual(['ar', 'de', 'en', 'es', 'fr', 'ja', 'pt-BR']);
  });

  it('every catalogue has exactly the English sources\' keys: none missing, none extra', () => {
    const coverage = translationCoverage(source);
    for (const locale of SUPPORTED_LOCALES) {
      expect(coverage[locale].missing, `${locale} missing`).toEqual([]);
      expect(coverage[locale].extra, `${locale} extra`).toEqual([]);
    }
    // The sources cover every error code, every plan text and every template part.
    expect(Object.keys(source).filter((k) => k.startsWith('error.'))).toHaveLength(errorCatalogue().size);
    expect(source['plan.pro.name']).toBe('Pro');
    expect(source['feature.seats.label']).toBe('Team seats');
  });

  it('keeps one English source per text: en.json holds no error titles, plan names or feature labels', () => {
    expect(Object.keys(messages().en).filter((k) => /^(error|plan|feature)\./.test(k))).toEqual([]);
  });

  for (const locale of SUPPORTED_LOCALES) {
    it(`${locale}: every message parses and formats with the English message's arguments`, () => {
      for (const [key, en] of Object.entries(source)) {
        const expected = argsOf(en);
        const message = locale === 'en' ? en : messages()[locale][key];
        expect([...argsOf(message).keys()].sort(), `${locale} ${key} arguments`).toEqual([...expected.keys()].sort());
        const args = Object.fromEntries([...expected].map(([name, type], i) => [name, SAMPLE[type](i)]));
        for (const n of [0, 1, 2, 3, 4]) {
          // Plurals: every category the locale has (ar: zero, one, two, few, many, other) must format.
          const numbers = Object.fromEntries([...expected].filter(([, type]) => type === 'number').map(([name]) => [name, [0, 1, 2, 3, 11][n]]));
          const out = new IntlMessageFormat(message, locale, undefined, { ignoreTag: true }).format({ ...args, ...numbers }) as string;
          expect(typeof out, `${locale} ${key}`).toBe('string');
          expect(out.trim().length, `${locale} ${key}`).toBeGreaterThan(0);
          expect(out, `${locale} ${key}`).not.toMatch(/[{}]/);
          for (const [name, type] of expected) if (type === 'string') expect(out, `${locale} ${key} shows ${name}`).toContain(String(args[name]));
        }
      }
    });
  }

  it('refuses a catalogue that is not JSON or holds a message that is not ICU, naming locale and key', () => {
    const good = (l: string) => JSON.stringify(messages()[l as 'en']);
    expect(() => loadCatalogues((l) => (l === 'fr' ? '{' : good(l)))).toThrow(/fr: cannot read/);
    let err: unknown;
    try {
      loadCatalogues((l) => (l === 'ja' ? JSON.stringify({ ...messages().ja, 'email.welcome.subject': 'ようこそ {given_name' }) : good(l)));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TranslationCatalogueError);
    expect((err as TranslationCatalogueError).problems).toEqual([expect.stringMatching(/^ja: email\.welcome\.subject is not valid ICU/)]);
    expect(() => loadCatalogues((l) => (l === 'de' ? JSON.stringify({ 'Not A Key': 'x' }) : good(l)))).toThrow(/de: key "Not A Key"/);
  });
});

describe('locale resolution and fallback', () => {
  it('resolves exact, then language, then a sibling region, then en', () => {
    expect(resolveLocale('pt-BR')).toBe('pt-BR');
    expect(resolveLocale('pt-br')).toBe('pt-BR');
    expect(resolveLocale('pt-PT')).toBe('pt-BR');
    expect(resolveLocale('pt')).toBe('pt-BR');
    expect(resolveLocale('de-AT')).toBe('de');
    expect(resolveLocale('ar-EG')).toBe('ar');
    expect(resolveLocale('ja_JP')).toBe('ja');
    expect(resolveLocale('sv-SE')).toBe('en');
    expect(resolveLocale('not a tag!')).toBe('en');
    expect(resolveLocale(undefined)).toBe('en');
  });

  it('knows Arabic is right-to-left', () => {
    expect(textDirection('ar')).toBe('rtl');
    expect(textDirection('ar-EG')).toBe('rtl');
    expect(textDirection('ja')).toBe('ltr');
  });

  it('formats with the customer\'s own tag only when the text is in its language', () => {
    expect(formattingLocale('de-CH')).toBe('de-CH');
    expect(formattingLocale('sv-SE')).toBe('en');
    expect(formattingLocale('pt-PT')).toBe('pt-PT');
  });

  it('falls back to the English source for an untranslated key, and throws for a key found nowhere', () => {
    expect(translate('plan.enterprise.name', 'ja', {}, 'Enterprise')).toBe('Enterprise');
    expect(translate('error.enrollment_not_found.title', 'de', {}, 'No such enrollment')).toBe('Diese Registrierung gibt es nicht');
    expect(translate('error.enrollment_not_found.title', 'sv', {}, 'No such enrollment')).toBe('No such enrollment');
    expect(() => translate('email.nope.subject', 'de')).toThrow(/no message for email\.nope\.subject/);
  });

  it('throws on a missing argument rather than sending a hole', () => {
    expect(() => translate('email.welcome.subject', 'fr', {})).toThrow();
  });

  it('formats plurals per locale, including Arabic\'s dual', () => {
    expect(translate('sms.verification.text', 'en', { code: '1', minutes: 1 })).toContain('1 minute.');
    expect(translate('sms.verification.text', 'ar', { code: '1', minutes: 2 })).toContain('دقيقتين');
    expect(translate('sms.verification.text', 'de', { code: '1', minutes: 10 })).toContain('10 Minuten');
  });

  it('formats dates in the message\'s locale, as calendar dates in UTC', () => {
    const due = new Date('2026-12-31T23:30:00Z');
    const args = { given_name: 'A', tenant_id: 't', plan_name: 'P', amount: 'X', due_date: due };
    expect(translate('email.welcome.next_payment', 'ja', args)).toContain('2026年12月31日');
    expect(translate('email.welcome.next_payment', 'de', args)).toContain('31. Dezember 2026');
    expect(translate('email.welcome.next_payment', 'en', args)).toContain('December 31, 2026');
  });
});
