import { fileURLToPath } from 'node:url';
import { CatalogError, deepFreeze, formatPath, readConfigJson } from '../load-catalog.js';
import type { Catalog } from '../types.js';
import { pricingRulesFileSchema, type PricingRules, type PricingRulesFile } from './rules-schema.js';

export const DEFAULT_PRICING_RULES_PATH = fileURLToPath(new URL('../../../config/pricing-rules.json', import.meta.url));

/**
 * Load and validate the dynamic pricing rules against the catalogue they price;
 * throws a CatalogError listing every problem, so the service never starts on
 * rules that name a plan, currency or feature the catalogue does not have.
 */
export function loadPricingRules(catalog: Catalog, path: string = DEFAULT_PRICING_RULES_PATH): PricingRules {
  return parsePricingRules(readConfigJson(path), catalog, path);
}

/** The same checks on a value already read (the what-if command, tests). */
export function parsePricingRules(raw: unknown, catalog: Catalog, source = '(rules)'): PricingRules {
  const parsed = pricingRulesFileSchema.safeParse(raw);
  if (!parsed.success) {
    // Cross-field checks need a well-formed file; schema problems come first, all of them at once.
    throw new CatalogError(
      source,
      parsed.error.issues.flatMap((i) => {
        const path = i.path.filter((s): s is string | number => typeof s !== 'symbol');
        if (i.code === 'unrecognized_keys') return i.keys.map((k) => `${formatPath([...path, k])}: is not a known field`);
        return [`${formatPath(path)}: ${i.message}`];
      }),
    );
  }
  const problems = pricingRuleProblems(parsed.data, catalog);
  if (problems.length > 0) throw new CatalogError(source, problems);
  return deepFreeze(parsed.data);
}

/** Cross-field rules the schema cannot see: windows, unique ids, and references into the catalogue. */
export function pricingRuleProblems(rules: PricingRulesFile, catalog: Catalog): string[] {
  const out: string[] = [];
  const plans = new Set(catalog.plans.map((p) => p.id));
  const checkPlans = (ids: string[] | undefined, path: string) =>
    ids?.forEach((id, i) => !plans.has(id) && out.push(`${path}.plans[${i}]: is not a plan in catalogue ${catalog.version} (got "${id}")`));
  const checkWindow = (w: { starts_at?: string; ends_at?: string }, path: string) => {
    if (w.starts_at && w.ends_at && Date.parse(w.ends_at) <= Date.parse(w.starts_at)) out.push(`${path}.ends_at: must be after starts_at`);
  };
  const checkUnique = (ids: string[], path: string) =>
    ids.forEach((id, i) => ids.indexOf(id) !== i && out.push(`${path}[${i}].id: duplicate id "${id}"`));
  const checkSections = (s: Pick<PricingRulesFile, 'campaigns' | 'signal_rules'> | { campaigns?: PricingRulesFile['campaigns']; signal_rules?: PricingRulesFile['signal_rules'] }, prefix: string) => {
    const campaigns = s.campaigns ?? [];
    const signalRules = s.signal_rules ?? [];
    checkUnique(campaigns.map((c) => c.id), `${prefix}campaigns`);
    campaigns.forEach((c, i) => {
      checkWindow(c, `${prefix}campaigns[${i}]`);
      checkPlans(c.plans, `${prefix}campaigns[${i}]`);
    });
    checkUnique(signalRules.map((r) => r.id), `${prefix}signal_rules`);
    signalRules.forEach((r, i) => {
      checkPlans(r.plans, `${prefix}signal_rules[${i}]`);
      if (Object.keys(r.when).length === 0) out.push(`${prefix}signal_rules[${i}].when: must name at least one signal`);
      if (r.when.team_size_min && r.when.team_size_max && r.when.team_size_max < r.when.team_size_min) out.push(`${prefix}signal_rules[${i}].when.team_size_max: must not be below team_size_min`);
    });
  };
  checkSections(rules, '');
  for (const c of Object.keys(rules.guardrails.floor_minor)) {
    if (!catalog.currencies.includes(c)) out.push(`guardrails.floor_minor.${c}: is not a catalogue currency`);
  }
  for (const [signal, feature] of Object.entries(rules.recommend_by)) {
    const numeric = catalog.plans.every((p) => typeof p.features[feature!] === 'number' || p.features[feature!] === 'unlimited');
    if (!numeric) out.push(`recommend_by.${signal}: must name a numeric catalogue feature (got "${feature}")`);
  }
  checkUnique(rules.experiments.map((e) => e.id), 'experiments');
  rules.experiments.forEach((e, i) => {
    checkWindow(e, `experiments[${i}]`);
    checkUnique(e.variants.map((v) => v.id), `experiments[${i}].variants`);
    e.variants.forEach((v, j) => checkSections(v, `experiments[${i}].variants[${j}].`));
  });
  return out.sort();
}
