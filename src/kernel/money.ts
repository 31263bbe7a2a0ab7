const formatters = new Map<string, Intl.NumberFormat>();

// Building an Intl.NumberFormat costs far more than using one: keep one per locale and currency.
function formatter(locale: string, currency: string): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, { style: 'currency', currency });
    formatters.set(key, f);
  }
  return f;
}

const digits = new Map<string, number>();

/** Minor-unit digits come from ICU, so JPY (0) and KWD (3) are right without a table of our own. */
export function minorUnitDigits(currency: string): number {
  let d = digits.get(currency);
  if (d === undefined) {
    // resolvedOptions() builds a new object on every call: asked once per currency, on every price formatted.
    d = formatter('en', currency).resolvedOptions().maximumFractionDigits ?? 2;
    digits.set(currency, d);
  }
  return d;
}

export function formatMoney(amountMinor: number, currency: string, locale: string): string {
  return formatter(locale, currency).format(amountMinor / 10 ** minorUnitDigits(currency));
}
