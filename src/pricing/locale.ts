import { canonicalLocale } from './schemas.js';

export const DEFAULT_LOCALE = 'en';

/** The requested tag in canonical form, or `en` when absent or not BCP 47. */
export function normalizeLocale(tag: string | undefined): string {
  return (tag && canonicalLocale(tag)) || DEFAULT_LOCALE;
}

/** Accept-Language parsing lives in i18n, which the problem handler shares. */
export { preferredLocale } from '../i18n/index.js';
