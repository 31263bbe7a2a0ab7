import type { Interval } from '../schemas.js';
import type { PricingRules, Signals } from './rules-schema.js';

export interface PriceAdjustment {
  /** A stable code: ppp_discount, campaign_<id>, signal_<id>, capped_by_guardrail. */
  reason: string;
  /** Minor units, negative for a discount; the guardrail line is positive (it takes discount back). */
  amount: number;
}

export interface AdjustedPrice {
  list: number;
  /** What the customer pays before tax: list + Σ adjustments, always within the guardrails. */
  amount: number;
  adjustments: PriceAdjustment[];
}

export interface PriceInput {
  planId: string;
  interval: Interval;
  currency: string;
  /** The catalogue price for this plan, interval and currency (the list price for the buyer's country). */
  list: number;
  country?: string;
  signals?: Signals;
  at: Date;
}

/**
 * Apply the (already resolved) rules to one list price. Discounts add up as
 * percentages of list (not compounded, so each line explains itself), each
 * rounded down so we never promise more than we take off; the guardrails then
 * clamp the total, with a `capped_by_guardrail` line saying by how much.
 */
export function adjustPrice(rules: PricingRules, p: PriceInput): AdjustedPrice {
  const adjustments: PriceAdjustment[] = [];
  // Discounts asked beyond the whole list price are cut at zero: every line and every sum then stays
  // within ±list, so even a list price near 2^53 cannot overflow into an inexact float.
  let room = p.list;
  const off = (reason: string, percent: number) => {
    const amount = Math.min(percentOf(p.list, percent, 'down'), room);
    room -= amount;
    if (amount > 0) adjustments.push({ reason, amount: -amount });
  };
  const eligible = (r: { plans?: string[]; intervals?: Interval[] }) => (!r.plans || r.plans.includes(p.planId)) && (!r.intervals || r.intervals.includes(p.interval));

  const ppp = p.country && Object.hasOwn(rules.ppp, p.country) ? rules.ppp[p.country] : 0;
  off('ppp_discount', ppp);
  for (const c of rules.campaigns) {
    const live = p.at >= new Date(c.starts_at) && p.at < new Date(c.ends_at);
    if (live && eligible(c) && (!c.countries || (p.country !== undefined && c.countries.includes(p.country)))) off(`campaign_${c.id}`, c.percent_off);
  }
  const s = p.signals ?? {};
  for (const r of rules.signal_rules) {
    const w = r.when;
    const matches =
      (w.team_size_min === undefined || (s.team_size ?? 0) >= w.team_size_min) &&
      (w.team_size_max === undefined || (s.team_size !== undefined && s.team_size <= w.team_size_max)) &&
      (w.projects_min === undefined || (s.projects ?? 0) >= w.projects_min);
    if (matches && eligible(r)) off(`signal_${r.id}`, r.percent_off);
  }

  const raw = p.list + adjustments.reduce((sum, a) => sum + a.amount, 0);
  const { lowest } = guardrailBounds(rules, p.list, p.currency);
  const amount = Math.min(p.list, Math.max(raw, lowest));
  if (amount !== raw) adjustments.push({ reason: 'capped_by_guardrail', amount: amount - raw });
  return { list: p.list, amount, adjustments };
}

/**
 * The lowest price the guardrails allow for a list price: the tightest of the
 * maximum percentage off, the floor as a share of list, and the absolute
 * floor per currency (an absolute floor above the list price means: no discount).
 */
export function guardrailBounds(rules: Pick<PricingRules, 'guardrails'>, list: number, currency: string): { lowest: number; highest: number } {
  const g = rules.guardrails;
  const absolute = Object.hasOwn(g.floor_minor, currency) ? g.floor_minor[currency] : 0;
  const lowest = Math.max(list - percentOf(list, g.max_percent_off, 'down'), percentOf(list, g.floor_percent_of_list, 'up'), Math.min(absolute, list));
  return { lowest, highest: list };
}

/** amount × percent / 100 in integer minor units; BigInt so a large KWD or INR amount cannot lose precision. */
export function percentOf(amount: number, percent: number, rounding: 'down' | 'up'): number {
  const n = BigInt(amount) * BigInt(percent);
  const q = n / 100n;
  return Number(rounding === 'up' && q * 100n !== n ? q + 1n : q);
}
