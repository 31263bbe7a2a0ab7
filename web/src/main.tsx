import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, setApiLocale } from './api/client';
import type { PublicConfig } from './api/types';
import { CURRENCIES, Header } from './components/header';
import { loadLocale, resolveLocale, t, type Locale } from './lib/i18n';
import { navigate, useLocation } from './lib/router';
import { countryFor, defaultCurrency } from './lib/countries';
import { DashboardPage } from './pages/dashboard';
import { EnrollPage } from './pages/enroll';
import { loadPlans, PlansPage, type Interval } from './pages/plans';
import './styles.css';

const stored = (k: string) => { try { return localStorage.getItem(k); } catch { return null; } };
const store = (k: string, v: string) => { try { localStorage.setItem(k, v); } catch { /* private mode */ } };

function App({ initialLocale, config }: { initialLocale: Locale; config: Promise<PublicConfig | null> }) {
  const loc = useLocation();
  const [cfg, setCfg] = useState<PublicConfig | null>(null);
  useEffect(() => { void config.then(setCfg); }, []);
  // The gateway origin is only needed at the payment step; until the config answers, the app's own origin stands in.
  const gatewayOrigin = cfg?.gateway_origin ?? location.origin;
  const currencies = cfg?.currencies?.length ? cfg.currencies : CURRENCIES;
  const [locale, setLocale] = useState<Locale>(initialLocale);
  const [currency, setCurrency] = useState(loc.searchParams.get('currency') ?? stored('enroll.currency') ?? defaultCurrency(initialLocale));
  const [, rerender] = useState(0);

  useEffect(() => { document.title = t('web.app.title'); }, [locale, loc.pathname]);

  async function changeLocale(l: Locale) {
    await loadLocale(l);
    setApiLocale(l);
    store('enroll.locale', l);
    setLocale(l);
    rerender((n) => n + 1);
  }
  function changeCurrency(c: string) {
    store('enroll.currency', c);
    setCurrency(c);
  }

  const enroll = /^\/enroll\/([\w-]+)$/.exec(loc.pathname);
  let page;
  if (enroll) {
    page = <EnrollPage key={`${enroll[1]}|${locale}`} id={enroll[1]} plan={loc.searchParams.get('plan')} interval={(loc.searchParams.get('interval') as Interval) ?? 'month'} currency={currency} locale={locale} gatewayOrigin={gatewayOrigin} />;
  } else if (loc.pathname === '/dashboard') {
    page = <DashboardPage key={locale} gatewayOrigin={gatewayOrigin} />;
  } else {
    page = (
      <PlansPage key={locale} locale={locale} currency={currency} onPick={async (plan, interval) => {
        const e = await api.startEnrollment({ locale, currency, country: countryFor(currency) });
        navigate(`/enroll/${e.id}?plan=${encodeURIComponent(plan)}&interval=${interval}`);
      }} />
    );
  }
  return (
    <>
      <a class="skip" href="#main">{t('web.app.skip')}</a>
      <Header locale={locale} currency={currency} currencies={currencies} onLocale={changeLocale} onCurrency={changeCurrency} showCurrency={!enroll && loc.pathname !== '/dashboard'} />
      <main id="main" tabIndex={-1}>{page}</main>
      <footer class="foot"><p>{t('web.app.footer')}</p></footer>
    </>
  );
}

async function boot() {
  const url = new URL(location.href);
  const locale = resolveLocale(url.searchParams.get('lang') ?? stored('enroll.locale') ?? navigator.language);
  setApiLocale(locale);
  // Everything the first screen needs starts at once: the texts, the plans (on the landing page) and the config.
  const config = api.publicConfig().catch(() => null);
  if (url.pathname === '/') void loadPlans({ locale, currency: url.searchParams.get('currency') ?? stored('enroll.currency') ?? defaultCurrency(locale) }).catch(() => null);
  await loadLocale(locale);
  render(<App initialLocale={locale} config={config} />, document.getElementById('app')!);
}

void boot();
