import type { Catalog, Interval } from '../pricing/index.js';

export type ChangeDirection = 'upgrade' | 'downgrade' | 'interval_change';

/**
 * Which way a change goes. Same plan, other interval: an interval change.
 * Otherwise compare monthly equivalents of the list prices in the
 * subscription's currency (a yearly price counts a twelfth per month).
 */
export function changeDirection(catalog: Catalog, from: { planId: string; interval: Interval; amount: number }, to: { planId: string; interval: Interval; amount: number }): ChangeDirection {
  if (from.planId === to.planId) return 'interval_change';
  const monthly = (p: { interval: Interval; amount: number }) => (p.interval === 'year' ? p.amount / 12 : p.amount);
  return monthly(to) > monthly(from) ? 'upgrade' : 'downgrade';
}

export function changeEffect(catalog: Catalog, direction: ChangeDirection): 'immediate' | 'period_end' {
  return catalog.change_policy[direction];
}

/**
 * Proration for an immediate change, in integer minor units. The unused part
 * of the current period is credited; the new plan is charged for the rest of
 * the period (same interval) or for a whole new period that starts now (a new
 * interval). Shares of a period are by the second and rounded half-up.
 */
export function prorate(input: {
  now: Date;
  periodStart: Date;
  periodEnd: Date;
  currentAmount: number;
  newAmount: number;
  restartsPeriod: boolean;
}): { credit: number; charge: number; amountDue: number } {
  const total = input.periodEnd.getTime() - input.periodStart.getTime();
  const remaining = Math.min(total, Math.max(0, input.periodEnd.getTime() - input.now.getTime()));
  const share = (amount: number) => (total > 0 ? Math.round((amount * remaining) / total) : 0);
  const credit = share(input.currentAmount);
  const charge = input.restartsPeriod ? input.newAmount : share(input.newAmount);
  // A credit larger than the charge is not paid out: it is forfeited only in the sense that nothing is charged now.
  return { credit, charge, amountDue: Math.max(0, charge - credit) };
}
