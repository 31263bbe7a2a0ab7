import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CatalogError, DEFAULT_CATALOG_PATH, loadCatalog } from './load-catalog.js';

const dir = mkdtempSync(join(tmpdir(), 'enroll-catalog-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const shipped = () => JSON.parse(readFileSync(DEFAULT_CATALOG_PATH, 'utf8'));

function problemsOf(mutate: (c: any) => void): string[] {
  const c = shipped();
  mutate(c);
  const file = join(dir, `catalog-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(c));
  try {
    loadCatalog(file);
  } catch (err) {
    expect(err).toBeInstanceOf(CatalogError);
    expect((err as Error).message).toContain(file);
    return (err as CatalogError).problems;
  }
  throw new Error('the catalogue was accepted');
}

const at = (problems: string[], path: string) => problems.filter((p) => p.startsWith(`${path}: `));

describe('loadCatalog', () => {
  it('loads the shipped catalogue: three tiers, pro recommended with a trial, JPY explicit', () => {
    const c = loadCatalog();
    expect(c.version).toBe('2026-11-25.2');
    expect(c.plans.map((p) => p.id)).toEqual(['starter', 'pro', 'business']);
    expect(c.plans.find((p) => p.id === 'starter')!.trial_days).toBe(0);
    const pro = c.plans.find((p) => p.id === 'pro')!;
    expect(pro).toMatchObject({ recommended: true, trial_days: 14 });
    expect(c.currencies).toEqual(expect.arrayContaining(['EUR', 'USD', 'GBP', 'JPY']));
    expect(pro.prices.month.JPY).toBe(2900);
    expect(c.features.map((f) => f.key)).toEqual(expect.arrayContaining(['seats', 'projects', 'storage_gb', 'sso', 'priority_support', 'api_access']));
    for (const p of c.plans) {
      for (const cur of c.currencies) expect(p.prices.year[cur]).toBeLessThan(12 * p.prices.month[cur]);
    }
  });

  it('returns a frozen catalogue, so no request can reprice it at runtime', () => {
    const c = loadCatalog();
    expect(Object.isFrozen(c.plans[0].prices.month)).toBe(true);
    expect(() => {
      (c.plans[0].prices.month as Record<string, number>).EUR = 1;
    }).toThrow(TypeError);
  });

  it('reports a non-integer price at its exact path', () => {
    const problems = problemsOf((c) => (c.plans[1].prices.month.EUR = 19.5));
    expect(at(problems, 'plans[1].prices.month.EUR')).toHaveLength(1);
    expect(at(problems, 'plans[1].prices.month.EUR')[0]).toContain('19.5');
  });

  it('reports every problem at once, each at its path', () => {
    const problems = problemsOf((c) => {
      delete c.plans[1].prices.month.EUR; // no EUR price
      c.plans[2].prices.year.GBP = -1; // negative
      c.plans[2].id = 'pro'; // duplicate id
      c.plans[0].prices.month.XYZ = 100; // unknown currency
      c.plans[0].prices.year.USD = '100'; // a string, not minor units
    });
    expect(at(problems, 'plans[1].prices.month.EUR')).toHaveLength(1);
    expect(at(problems, 'plans[2].prices.year.GBP')).toHaveLength(1);
    expect(at(problems, 'plans[2].id')).toHaveLength(1);
    expect(at(problems, 'plans[0].prices.month.XYZ')).toHaveLength(1);
    expect(at(problems, 'plans[0].prices.year.USD')).toHaveLength(1);
    expect(problems).toHaveLength(5);
  });

  it('refuses a currency code ICU does not know, in the currency list too', () => {
    let index = -1;
    const problems = problemsOf((c) => (index = c.currencies.push('EUD') - 1));
    expect(at(problems, `currencies[${index}]`)).toHaveLength(1);
  });

  it('refuses an annual price above 12 × monthly', () => {
    const problems = problemsOf((c) => (c.plans[0].prices.year.EUR = 12 * c.plans[0].prices.month.EUR + 1));
    expect(at(problems, 'plans[0].prices.year.EUR')).toHaveLength(1);
  });

  it('refuses an incomplete feature matrix, unknown fields, a missing English name and a translation in the catalogue', () => {
    const problems = problemsOf((c) => {
      delete c.plans[0].features.sso;
      c.plans[1].features.teleport = true;
      c.plans[2].trail_days = 14;
      delete c.plans[2].name.en;
      c.plans[1].tagline.de = 'Für Teams';
      c.plans[0].name['pt-br'] = 'Starter';
      c.plans[2].recommended = true;
    });
    expect(at(problems, 'plans[0].features.sso')).toHaveLength(1);
    expect(at(problems, 'plans[1].features.teleport')).toHaveLength(1);
    expect(at(problems, 'plans[2].trail_days')).toHaveLength(1);
    expect(at(problems, 'plans[2].name.en')).toHaveLength(1);
    expect(at(problems, 'plans[1].tagline.de')).toHaveLength(1);
    expect(at(problems, 'plans[0].name.pt-br')).toHaveLength(1);
    expect(at(problems, 'plans[2].recommended')).toHaveLength(1);
  });

  it('refuses a file that is not JSON', () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{ "version": ');
    expect(() => loadCatalog(file)).toThrow(CatalogError);
  });
});
