import { IntlMessageFormat } from 'intl-messageformat';
// @ts-expect-error: a virtual module from web/vite.config.ts (the web.* keys of src/i18n/locales/<locale>.json)
import { loaders } from 'virtual:web-messages';

export const LOCALES = ['en', 'de', 'fr', 'es', 'ja', 'pt-BR', 'ar'] as const;
export type Locale = (typeof LOCALES)[number];
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', de: 'Deutsch', fr: 'Français', es: 'Español', ja: '日本語', 'pt-BR': 'Português (Brasil)', ar: 'العربية' };

let current: Locale = 'en';
let messages: Record<string, string> = {};
const cache = new Map<string, IntlMessageFormat>();

/** The same resolution as the server (src/i18n/locales.ts): exact tag, then language, then en. */
export function resolveLocale(tag: string | null | undefined): Locale {
  if (!tag) return 'en';
  const lower = tag.toLowerCase();
  return LOCALES.find((l) => l.toLowerCase() === lower) ?? LOCALES.find((l) => l.split('-')[0] === lower.split('-')[0]) ?? 'en';
}

export const direction = (l: string) => (l.split('-')[0] === 'ar' ? 'rtl' : 'ltr');

export async function loadLocale(l: Locale): Promise<void> {
  messages = await (loaders as Record<Locale, () => Promise<Record<string, string>>>)[l]();
  current = l;
  cache.clear();
  document.documentElement.lang = l;
  document.documentElement.dir = direction(l);
}

export const currentLocale = () => current;

/** Whether a key exists, so a caller can fall back (e.g. to the server's localized problem title). */
export const has = (key: string) => key in messages;

/** Format one ICU message of the current locale. A missing key shows the key: the catalogue test prevents it. */
export function t(key: string, args?: Record<string, unknown>): string {
  const source = messages[key];
  if (source === undefined) return key;
  let f = cache.get(key);
  if (!f) {
    f = new IntlMessageFormat(source, current);
    cache.set(key, f);
  }
  return String(f.format(args as Record<string, string>));
}

const moneyFormats = new Map<string, Intl.NumberFormat>();
/** Money from integer minor units, through Intl (JPY has no decimals, KWD three: ICU knows). */
export function money(amountMinor: number, currency: string): string {
  const k = `${current}|${currency}`;
  let f = moneyFormats.get(k);
  if (!f) {
    f = new Intl.NumberFormat(current, { style: 'currency', currency });
    moneyFormats.set(k, f);
  }
  const digits = f.resolvedOptions().maximumFractionDigits ?? 2;
  return f.format(amountMinor / 10 ** digits);
}

export const date = (iso: string) => new Intl.DateTimeFormat(current, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(iso));

const BRANDS: Record<string, string> = { visa: 'Visa', mastercard: 'Mastercard', amex: 'American Express', discover: 'Discover', diners: 'Diners Club', jcb: 'JCB', unionpay: 'UnionPay' };
/** Card brands are proper names: shown as their owners write them, in every language. */
export const brandName = (b: string) => BRANDS[b.toLowerCase()] ?? b;
