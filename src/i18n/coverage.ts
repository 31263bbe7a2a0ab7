import { errorCatalogue } from '../kernel/errors.js';
import { SOURCE_LOCALE, SUPPORTED_LOCALES, type SupportedLocale } from './locales.js';
import { messages } from './translate.js';

/**
 * Every English source message, by key: the en catalogue, each error code's
 * title (`error.<code>.title`, from its defineErrors definition, which stays
 * the one English source and what docs/errors.md shows), and texts kept beside
 * their own definitions (plan names from config/catalog.json).
 */
export function sourceMessages(definedElsewhere: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = { ...messages()[SOURCE_LOCALE] };
  for (const [code, def] of errorCatalogue()) out[`error.${code}.title`] = def.title;
  return Object.assign(out, definedElsewhere);
}

export interface Coverage {
  missing: string[];
  extra: string[];
}

/** Per locale: source keys it does not translate (they fall back to English) and keys no source has. */
export function translationCoverage(source: Record<string, string>): Record<SupportedLocale, Coverage> {
  const all = messages();
  const out = {} as Record<SupportedLocale, Coverage>;
  for (const locale of SUPPORTED_LOCALES) {
    const have = all[locale];
    // en translates nothing: everything English not in en.json is defined beside its own code.
    const missing = locale === SOURCE_LOCALE ? [] : Object.keys(source).filter((k) => !(k in have)).sort();
    const extra = Object.keys(have).filter((k) => !(k in source)).sort();
    out[locale] = { missing, extra };
  }
  return out;
}
