import { sha256 } from '../../kernel/crypto.js';
import type { Experiment, PricingRules, Variant } from './rules-schema.js';

export interface Assignment {
  experiment: string;
  variant: string;
}

/**
 * The visitor's variant of one experiment: a hash of experiment id and visitor
 * id, so every process (and every deploy) assigns the same visitor the same way
 * without storing anything, and experiments are independent of each other.
 * No visitor id, or outside the window: the control (first variant).
 */
export function assignVariant(experiment: Experiment, visitorId: string | undefined, at: Date): { variant: Variant; assigned: boolean } {
  const running = (!experiment.starts_at || at >= new Date(experiment.starts_at)) && (!experiment.ends_at || at < new Date(experiment.ends_at));
  if (!visitorId || !running) return { variant: experiment.variants[0], assigned: false };
  const total = experiment.variants.reduce((s, v) => s + v.weight, 0);
  // 32 bits of SHA-256: the modulo bias over at most 10,000 × variants is below 1e-5.
  let bucket = Number.parseInt(sha256(`${experiment.id}:${visitorId}`).slice(0, 8), 16) % total;
  for (const v of experiment.variants) {
    if (bucket < v.weight) return { variant: v, assigned: true };
    bucket -= v.weight;
  }
  return { variant: experiment.variants[0], assigned: true }; // unreachable: the weights sum to total
}

/**
 * The rules that apply to one visitor: the base set with each running
 * experiment's variant laid over it (PPP per country, campaigns and signal
 * rules by id). Guardrails are never overlaid. `assignments` lists only the
 * experiments the visitor was actually assigned in: those are the exposures.
 */
export function resolveRules(rules: PricingRules, visitorId: string | undefined, at: Date): { rules: PricingRules; assignments: Assignment[] } {
  let ppp = { ...rules.ppp };
  let campaigns = [...rules.campaigns];
  let signalRules = [...rules.signal_rules];
  const assignments: Assignment[] = [];
  for (const experiment of rules.experiments) {
    const { variant, assigned } = assignVariant(experiment, visitorId, at);
    if (assigned) assignments.push({ experiment: experiment.id, variant: variant.id });
    if (variant.ppp) ppp = { ...ppp, ...variant.ppp };
    if (variant.campaigns) campaigns = byId(campaigns, variant.campaigns);
    if (variant.signal_rules) signalRules = byId(signalRules, variant.signal_rules);
  }
  return { rules: { ...rules, ppp, campaigns, signal_rules: signalRules, experiments: [] }, assignments };
}

function byId<T extends { id: string }>(base: T[], over: T[]): T[] {
  const ids = new Set(over.map((o) => o.id));
  return [...base.filter((b) => !ids.has(b.id)), ...over];
}
