import { IntlMessageFormat, type PrimitiveType } from 'intl-messageformat';
import { loadCatalogues, type Messages } from './catalogues.js';
import { resolveLocale, SOURCE_LOCALE, type SupportedLocale } from './locales.js';

export type MessageArgs = Record<string, PrimitiveType | Date>;

// Dates in messages are calendar dates of UTC instants: the server's own time zone must not move them.
const FORMATS = {
  date: {
    short: { year: 'numeric', month: 'numeric', day: 'numeric', timeZone: 'UTC' },
    medium: { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' },
    long: { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' },
  },
  time: { short: { hour: 'numeric', minute: 'numeric', timeZone: 'UTC', timeZoneName: 'short' } },
} as const;

let catalogues: Record<SupportedLocale, Messages> | undefined;
const compiled = new Map<string, IntlMessageFormat>();

/** The catalogues, read and validated once (createDeps calls this at boot, so a broken file stops the start). */
export function messages(): Record<SupportedLocale, Messages> {
  return (catalogues ??= loadCatalogues());
}

/**
 * The message for `key` in the best catalogue for `locale`, formatted with ICU.
 * Fallback: the resolved locale (pt-PT → pt-BR, de-AT → de), then en, then
 * `english`: the source text kept beside its definition (an error's title, a
 * plan's name in config/catalog.json). A key found nowhere is a bug and throws.
 */
export function translate(key: string, locale: string | undefined | null, args: MessageArgs = {}, english?: string): string {
  const resolved = resolveLocale(locale);
  const all = messages();
  let lang: string = resolved;
  let source = all[resolved][key];
  if (source === undefined) {
    lang = SOURCE_LOCALE;
    source = all[SOURCE_LOCALE][key] ?? english;
  }
  if (source === undefined) throw new Error(`no message for ${key}`);
  const cacheKey = `${lang}\u0000${key}\u0000${source}`;
  let f = compiled.get(cacheKey);
  if (!f) {
    f = new IntlMessageFormat(source, lang, FORMATS as never, { ignoreTag: true });
    compiled.set(cacheKey, f);
  }
  const out = f.format(args as Record<string, PrimitiveType>);
  if (typeof out !== 'string') throw new Error(`message ${key} did not format to text`);
  return out;
}

/** Whether a catalogue (not the fallback) holds `key` for this locale. */
export function hasTranslation(key: string, locale: string): boolean {
  return messages()[resolveLocale(locale)][key] !== undefined;
}
