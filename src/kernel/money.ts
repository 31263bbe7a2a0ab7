import { boundedMemo } from './bounded-memo.js';

// Building an Intl.NumberFormat costs far more than using one: keep one per locale and currency. The locale can be
// a client's own tag (formattingLocale), hence the bound; the key is JSON so no locale can pass for another pair.
const formatterFor = boundedMemo(
  (key: string) => {
    const [locale, currency] = JSON.parse(key) as [string, string];
    return new Intl.NumberFormat(locale, { style: 'currency', currency });
  },
  { max: 1000 },
);
const formatter = (locale: string, currency: string) => formatterFor(JSON.stringify([locale, currency]));

// Kept per currency: resolvedOptions() builds a new object on every call, and every price formatted asks.
/** Minor-unit digits come from ICU, so JPY (0) and KWD (3) are right without a table of our own. */
export const minorUnitDigits = boundedMemo((currency: string) => formatter('en', currency).resolvedOptions().maximumFractionDigits ?? 2, { max: 1000 });

export function formatMoney(amountMinor: number, currency: string, locale: string): string {
  return formatter(locale, currency).format(amountMinor / 10 ** minorUnitDigits(currency));
}
