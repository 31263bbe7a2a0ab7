import { canonical } from './locales.js';

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
    .filter((x) => x.tag && x.tag !== '*' && Number.isFinite(x.q) && x.q > 0 && canonical(x.tag))
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return ranked[0] ? canonical(ranked[0].tag) : undefined;
}

/** The locale a request asks for: an explicit `locale` parameter, then Accept-Language; undefined when it asks for none. */
export function requestLocale(explicit: unknown, acceptLanguage: string | undefined): string | undefined {
  if (typeof explicit === 'string' && explicit && canonical(explicit)) return canonical(explicit);
  return preferredLocale(acceptLanguage);
}
