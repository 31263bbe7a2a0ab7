import { describe, expect, it } from 'vitest';
import { isAppError } from '../kernel/errors.js';
import { pricingErrors } from './errors.js';
import { annualSavingsPercent, listPlans } from './list-plans.js';
import { loadCatalog } from './load-catalog.js';
import { preferredLocale } from './locale.js';
import type { Catalog } from './types.js';

const catalog = loadCatalog();
const fmt = (locale: string, currency: string, major: number) => new Intl.NumberFormat(locale, { style: 'currency', currency }).format(major);

describe('listPlans', () => {
  it('formats EUR for de-DE with Intl (NBSP before €) and localizes text', () => {
    const r = listPlans(catalog, { currency: 'EUR', locale: 'de-DE' });
    expect(r).toMatchObject({ catalog_version: '2026-11-25.2', currency: 'EUR', locale: 'de-DE' });
    const pro = r.plans.find((p) => p.id === 'pro')!;
    expect(pro).toMatchObject({ recommended: true, trial_days: 14, tagline: 'Für wachsende Teams, die jede Woche liefern' });
    const month = pro.prices.find((p) => p.interval === 'month')!;
    expect(month).toEqual({ interval: 'month', currency: 'EUR', amount: 1900, display: fmt('de-DE', 'EUR', 19) });
    expect(month.display).toBe('19,00\u00a0€');
    expect(r.features.find((f) => f.key === 'api_access')!.label).toBe('API-Zugriff');
  });

  it('returns only the requested currency, month then year, with annual savings', () => {
    const r = listPlans(catalog, { currency: 'usd', locale: 'en-US' });
    expect(r.currency).toBe('USD');
    for (const plan of r.plans) {
      expect(plan.prices.map((p) => [p.interval, p.currency])).toEqual([['month', 'USD'], ['year', 'USD']]);
    }
    const year = r.plans.find((p) => p.id === 'pro')!.prices[1];
    expect(year).toEqual({ interval: 'year', currency: 'USD', amount: 22000, display: '$220.00', savings_percent: 16 });
  });

  it('treats JPY as zero-decimal: 2900 minor units are ¥2,900', () => {
    const r = listPlans(catalog, { currency: 'JPY', locale: 'ja-JP' });
    const month = r.plans.find((p) => p.id === 'pro')!.prices[0];
    expect(month.amount).toBe(2900);
    expect(month.display).toBe(fmt('ja-JP', 'JPY', 2900));
    expect(month.display).toBe('￥2,900');
    expect(r.plans[0].name).toBe('スターター');
  });

  it('without a currency lists every currency the catalogue prices', () => {
    const r = listPlans(catalog, {});
    expect(r.currency).toBeNull();
    expect(r.locale).toBe('en');
    expect(r.plans[0].prices).toHaveLength(2 * catalog.currencies.length);
  });

  it('falls back de-AT → de, pt-PT → pt-BR, xx → en, and survives an invalid tag', () => {
    expect(listPlans(catalog, { locale: 'de-AT' }).features[0].label).toBe('Team-Plätze');
    expect(listPlans(catalog, { locale: 'pt-PT' }).features[0].label).toBe('Assentos da equipe');
    expect(listPlans(catalog, { locale: 'sv-SE' }).features[0].label).toBe('Team seats');
    const bad = listPlans(catalog, { locale: '!!' });
    expect(bad.locale).toBe('en');
  });

  it('refuses a currency the catalogue does not price', () => {
    try {
      listPlans(catalog, { currency: 'CHF' });
      expect.unreachable();
    } catch (err) {
      expect(isAppError(err, pricingErrors.pricing_currency_unsupported)).toBe(true);
      expect((err as any).status).toBe(422);
      expect((err as any).fields).toEqual({ currency: ['unsupported'] });
    }
  });

  it('formats a three-decimal currency (KWD) from minor units', () => {
    const kwd: Catalog = {
      ...catalog,
      currencies: ['KWD'],
      plans: [{ ...catalog.plans[0], prices: { month: { KWD: 2950 }, year: { KWD: 29500 } } }],
    };
    const price = listPlans(kwd, { currency: 'KWD', locale: 'en' }).plans[0].prices[0];
    expect(price.display).toBe(fmt('en', 'KWD', 2.95));
    expect(price.display).toContain('2.950');
  });
});

describe('annualSavingsPercent', () => {
  it('rounds down and never goes negative', () => {
    expect(annualSavingsPercent(1900, 19000)).toBe(16); // 16.67 %
    expect(annualSavingsPercent(1000, 9600)).toBe(20);
    expect(annualSavingsPercent(0, 0)).toBe(0);
    expect(annualSavingsPercent(100, 1300)).toBe(0);
  });
});

describe('preferredLocale', () => {
  it('takes the highest-q valid tag', () => {
    expect(preferredLocale('fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5')).toBe('fr-CH');
    expect(preferredLocale('en;q=0.5, de-de;q=0.9')).toBe('de-DE');
    expect(preferredLocale('*')).toBeUndefined();
    expect(preferredLocale(undefined)).toBeUndefined();
  });
});
