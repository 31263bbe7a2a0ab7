import { readFileSync } from 'node:fs';
import { IntlMessageFormat } from 'intl-messageformat';
import { SUPPORTED_LOCALES, type SupportedLocale } from './locales.js';

export type Messages = Readonly<Record<string, string>>;

/** Thrown at boot: a catalogue that does not parse must not reach a customer. */
export class TranslationCatalogueError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid translation catalogues (${problems.length}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'TranslationCatalogueError';
  }
}

const KEY = /^[a-z][a-z0-9_]*(\.[a-z0-9_-]+)+$/;

/** `src/i18n/locales/<locale>.json`: a flat map of semantic keys to ICU messages. */
export function cataloguePath(locale: string): URL {
  return new URL(`./locales/${locale}.json`, import.meta.url);
}

/** Read every catalogue and check that each key is well-formed and each message parses as ICU. */
export function loadCatalogues(read: (locale: string) => string = (l) => readFileSync(cataloguePath(l), 'utf8')): Record<SupportedLocale, Messages> {
  const problems: string[] = [];
  const out = {} as Record<SupportedLocale, Messages>;
  for (const locale of SUPPORTED_LOCALES) {
    let raw: unknown;
    try {
      raw = JSON.parse(read(locale));
    } catch (err) {
      problems.push(`${locale}: cannot read the catalogue as JSON: ${(err as Error).message}`);
      continue;
    }
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
      problems.push(`${locale}: must be an object of key → message`);
      continue;
    }
    for (const [key, message] of Object.entries(raw)) {
      if (!KEY.test(key)) problems.push(`${locale}: key "${key}" is not a dotted snake_case key`);
      if (typeof message !== 'string' || message.trim() === '') problems.push(`${locale}: ${key} must be a non-empty string`);
      else {
        try {
          new IntlMessageFormat(message, locale, undefined, { ignoreTag: true });
        } catch (err) {
          problems.push(`${locale}: ${key} is not valid ICU MessageFormat: ${(err as Error).message}`);
        }
      }
    }
    out[locale] = Object.freeze({ ...(raw as Record<string, string>) });
  }
  if (problems.length > 0) throw new TranslationCatalogueError(problems);
  return out;
}
