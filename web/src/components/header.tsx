import { LOCALE_NAMES, LOCALES, t, type Locale } from '../lib/i18n';

export const CURRENCIES = ['EUR', 'USD', 'GBP', 'JPY', 'INR', 'BRL', 'KWD'];

/** Brand, and the language and currency switchers (one component for every locale). */
export function Header(props: { locale: Locale; currency: string; currencies: string[]; onLocale: (l: Locale) => void; onCurrency: (c: string) => void; showCurrency: boolean }) {
  return (
    <header class="top">
      <a class="brand" href="/">{t('web.app.name')}</a>
      <div class="switchers">
        <label>
          <span class="sr-only">{t('web.switcher.language')}</span>
          <select aria-label={t('web.switcher.language')} value={props.locale} onChange={(e) => props.onLocale((e.currentTarget as HTMLSelectElement).value as Locale)}>
            {LOCALES.map((l) => <option key={l} value={l} lang={l}>{LOCALE_NAMES[l]}</option>)}
          </select>
        </label>
        {props.showCurrency && (
          <label>
            <span class="sr-only">{t('web.switcher.currency')}</span>
            <select aria-label={t('web.switcher.currency')} value={props.currency} onChange={(e) => props.onCurrency((e.currentTarget as HTMLSelectElement).value)}>
              {props.currencies.map((c) => <option key={c} value={c}>{c}</option>)}
            </select>
          </label>
        )}
      </div>
    </header>
  );
}
