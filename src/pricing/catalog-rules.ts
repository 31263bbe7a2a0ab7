import { canonicalLocale, INTERVALS, isKnownCurrency } from './schemas.js';

export interface CatalogProblem {
  path: (string | number)[];
  message: string;
  /** false when the problem is about a key, so quoting the value would mislead. */
  showValue?: boolean;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * Cross-field rules zod's per-field schema cannot see. They run on the raw
 * file even when its shape is partly wrong, so one load reports every
 * problem at once instead of one per edit-and-restart.
 */
export function catalogRuleProblems(raw: unknown): CatalogProblem[] {
  const out: CatalogProblem[] = [];
  if (!isObj(raw)) return out;
  const add = (path: (string | number)[], message: string) => out.push({ path, message });

  // Codes the schema already refused are left out, so one typo is reported once, not once per plan.
  const currencies = arr(raw.currencies).filter((c): c is string => typeof c === 'string' && isKnownCurrency(c));
  if (Array.isArray(raw.currencies) && !currencies.includes('EUR')) add(['currencies'], 'must include EUR (the reference currency)');
  const listed = arr(raw.currencies).map((c) => (typeof c === 'string' ? c : undefined));
  duplicates(listed).forEach(([i, c]) => add(['currencies', i], `duplicate currency ${c}`));

  const featureKeys = arr(raw.features).map((f) => (isObj(f) && typeof f.key === 'string' ? f.key : undefined));
  duplicates(featureKeys).forEach(([i, k]) => add(['features', i, 'key'], `duplicate feature key "${k}"`));
  arr(raw.features).forEach((f, i) => isObj(f) && checkLocales(f.label, ['features', i, 'label'], out));
  const declared = new Set(featureKeys.filter((k): k is string => !!k));

  const plans = arr(raw.plans);
  const ids = plans.map((p) => (isObj(p) && typeof p.id === 'string' ? p.id : undefined));
  duplicates(ids).forEach(([i, id]) => add(['plans', i, 'id'], `duplicate plan id "${id}"`));
  const recommended = plans.flatMap((p, i) => (isObj(p) && p.recommended === true ? [i] : []));
  recommended.slice(1).forEach((i) => add(['plans', i, 'recommended'], `only one plan may be recommended (plans[${recommended[0]}] already is)`));

  plans.forEach((p, i) => {
    if (!isObj(p)) return;
    checkLocales(p.name, ['plans', i, 'name'], out);
    checkLocales(p.tagline, ['plans', i, 'tagline'], out);
    if (isObj(p.features)) {
      for (const k of declared) if (!(k in p.features)) add(['plans', i, 'features', k], 'missing: every plan states every declared feature');
      for (const k of Object.keys(p.features)) if (!declared.has(k)) add(['plans', i, 'features', k], 'is not declared in the top-level features list');
    }
    if (isObj(p.prices)) checkPrices(p.prices, i, currencies, add);
  });
  return out;
}

function checkPrices(prices: Record<string, unknown>, i: number, currencies: string[], add: (p: (string | number)[], m: string) => void) {
  for (const interval of INTERVALS) {
    const map = prices[interval];
    if (!isObj(map)) continue;
    for (const c of currencies) if (!(c in map)) add(['plans', i, 'prices', interval, c], `missing: every plan prices every catalogue currency (${currencies.join(', ')}) explicitly`);
    for (const c of Object.keys(map)) {
      if (isKnownCurrency(c) && !currencies.includes(c)) add(['plans', i, 'prices', interval, c], 'is not listed in the top-level currencies');
    }
  }
  const month = prices.month;
  const year = prices.year;
  if (!isObj(month) || !isObj(year)) return;
  for (const c of currencies) {
    const m = month[c];
    const y = year[c];
    if (Number.isInteger(m) && Number.isInteger(y) && (y as number) > 12 * (m as number)) {
      add(['plans', i, 'prices', 'year', c], `annual price ${y} exceeds 12 × the monthly price (${12 * (m as number)})`);
    }
  }
}

// One source per text: the catalogue holds the English text, the ICU catalogues every translation.
function checkLocales(text: unknown, path: (string | number)[], out: CatalogProblem[]) {
  if (!isObj(text)) return;
  for (const key of Object.keys(text)) {
    if (key === 'en') continue;
    const canonical = canonicalLocale(key);
    if (canonical === undefined) out.push({ path: [...path, key], message: 'is not a BCP 47 locale tag', showValue: false });
    else out.push({ path: [...path, key], message: `is a translation: put it in src/i18n/locales/${canonical}.json (the catalogue keeps the English text only)`, showValue: false });
  }
}

/** [index, value] of each repeat after its first occurrence. */
function duplicates<T>(values: (T | undefined)[]): [number, T][] {
  const seen = new Set<T>();
  const out: [number, T][] = [];
  values.forEach((v, i) => {
    if (v === undefined) return;
    if (seen.has(v)) out.push([i, v]);
    seen.add(v);
  });
  return out;
}
