import { canonicalLocale } from './schemas.js';
import type { LocalizedText } from './types.js';

export const DEFAULT_LOCALE = 'en';

/** The requested tag in canonical form, or `en` when absent or not BCP 47. */
export function normalizeLocale(tag: string | undefined): string {
  return (tag && canonicalLocale(tag)) || DEFAULT_LOCALE;
}

/**
 * Catalogue text for a locale: exact tag, then shorter tags (de-DE → de),
 * then any regional variant of the same language (pt-PT → pt-BR), then en.
 */
export function pickText(text: LocalizedText, locale: string): string {
  const map = text as Record<string, string>;
  const parts = normalizeLocale(locale).split('-');
  for (let n = parts.length; n > 0; n--) {
    const hit = map[parts.slice(0, n).join('-')];
    if (hit !== undefined) return hit;
  }
  const sameLanguage = Object.keys(map).find((k) => k.split('-')[0] === parts[0]);
  return sameLanguage ? map[sameLanguage] : map[DEFAULT_LOCALE];
}

/** The most preferred valid tag of an Accept-Language header, if any. */
export function preferredLocale(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.trim(), q: q ? Number(q.slice(2)) : 1, i };
    })
    .filter((x) => x.tag && x.tag !== '*' && Number.isFinite(x.q) && x.q > 0 && canonicalLocale(x.tag))
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return ranked[0] ? canonicalLocale(ranked[0].tag) : undefined;
}
