import { boundedMemo } from '../kernel/bounded-memo.js';

/** The locales Enroll speaks. en is the source language and the last fallback. */
export const SUPPORTED_LOCALES = ['en', 'de', 'fr', 'es', 'ja', 'pt-BR', 'ar'] as const;
export type SupportedLocale = (typeof SUPPORTED_LOCALES)[number];
export const SOURCE_LOCALE: SupportedLocale = 'en';

const RTL = new Set(['ar', 'he', 'fa', 'ur']);

/** Script direction of a tag's language, for `dir` in HTML. */
export function textDirection(locale: string): 'ltr' | 'rtl' {
  return RTL.has(locale.split('-')[0].toLowerCase()) ? 'rtl' : 'ltr';
}

/**
 * The canonical BCP 47 form (de_at → de-AT), or undefined for a malformed tag.
 * Intl.getCanonicalLocales costs microseconds and every message formatted asks again, so answers are kept; tags
 * come from clients (Accept-Language, ?locale, the enrollment's locale), so only valid tags of usual length are
 * (35 characters, RFC 5646's minimum buffer), and at most 1000 of them.
 */
export const canonical = boundedMemo(
  (tag: string): string | undefined => {
    try {
      return Intl.getCanonicalLocales(tag.replace(/_/g, '-'))[0];
    } catch {
      return undefined; // not BCP 47: treated as absent, never as an error
    }
  },
  { max: 1000, keep: (tag, form) => form !== undefined && tag.length <= 35 },
);

/**
 * The catalogue that serves a tag: exact (pt-BR), then the language (de-AT → de),
 * then another region of the same language (pt-PT → pt-BR), then en.
 */
export function resolveLocale(tag: string | undefined | null): SupportedLocale {
  const c = tag ? canonical(tag) : undefined;
  if (!c) return SOURCE_LOCALE;
  const lower = c.toLowerCase();
  const exact = SUPPORTED_LOCALES.find((l) => l.toLowerCase() === lower);
  if (exact) return exact;
  const lang = lower.split('-')[0];
  return SUPPORTED_LOCALES.find((l) => l === lang) ?? SUPPORTED_LOCALES.find((l) => l.split('-')[0] === lang) ?? SOURCE_LOCALE;
}

/**
 * The tag to format numbers, money and dates with: the customer's own tag when
 * its language is the one the text is written in (en-IN keeps its grouping,
 * de-CH its apostrophes), otherwise the catalogue's locale, so a text never
 * mixes two languages' conventions.
 */
export function formattingLocale(tag: string | undefined | null): string {
  const resolved = resolveLocale(tag);
  const c = tag ? canonical(tag) : undefined;
  return c && c.split('-')[0].toLowerCase() === resolved.split('-')[0] ? c : resolved;
}
