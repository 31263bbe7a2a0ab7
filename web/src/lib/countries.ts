/** Countries offered in the profile form (the server accepts every ISO 3166 code; these have prices and tax rules). */
export const COUNTRIES = ['AE', 'AR', 'AT', 'AU', 'BE', 'BR', 'CA', 'CH', 'DE', 'DK', 'EG', 'ES', 'FI', 'FR', 'GB', 'IE', 'IN', 'IT', 'JP', 'KW', 'MA', 'MX', 'NL', 'NO', 'PL', 'PT', 'SA', 'SE', 'US'];

const BY_CURRENCY: Record<string, string> = { EUR: 'DE', USD: 'US', GBP: 'GB', JPY: 'JP', INR: 'IN', BRL: 'BR', KWD: 'KW' };
const BY_LOCALE: Record<string, string> = { de: 'DE', fr: 'FR', es: 'ES', ja: 'JP', 'pt-BR': 'BR', ar: 'KW', en: 'US' };
const CURRENCY_OF: Record<string, string> = { DE: 'EUR', FR: 'EUR', ES: 'EUR', JP: 'JPY', BR: 'BRL', KW: 'KWD', US: 'USD', GB: 'GBP', IN: 'INR', AE: 'USD' };

/** A first guess, so most people never touch the country field. */
export const countryFor = (currency: string) => BY_CURRENCY[currency] ?? 'US';
export const defaultCurrency = (locale: string) => CURRENCY_OF[BY_LOCALE[locale] ?? 'US'] ?? 'USD';
