import { recordEvent } from '../audit/index.js';
import type { Deps } from '../deps.js';
import { enqueueJob, type JobHandler } from '../jobs/index.js';
import { newId } from '../kernel/ids.js';
import { chargeSavedMethod, classifyDecline, type ChargeResult } from '../payments/index.js';
import type { Queryable, Tx } from '../db/index.js';
import { openDunningCase } from './dunning.js';
import { discountAmount, getQuote } from '../pricing/index.js';
import { addMonths, nextAnchoredEnd } from './periods.js';
import { advancePeriod, findSubscription, insertPaidInvoice, isRecordedPayment, setStatus, type SubscriptionRow } from './repository.js';

/** The renewal job for a subscription whose current period ends at `end`. */
export function renewalJob(subscriptionId: string, end: Date) {
  return { type: 'renew-subscription', payload: { subscription_id: subscriptionId, period_end: end.toISOString() }, runAt: end };
}

/**
 * Job `renew-subscription`, scheduled at each period's end: apply a plan change
 * scheduled for this boundary, apply the coupon for its duration, charge (key
 * derived from the subscription and the period, so a retried job charges
 * once), then move to the next anchored period with a paid invoice and
 * schedule the next renewal, all in one transaction. A decline makes the
 * subscription past_due (dunning picks it up). A job for a period the
 * subscription has left is a no-op.
 */
export function renewSubscriptionHandler(deps: Pick<Deps, 'db' | 'gateway' | 'clock' | 'worker' | 'config'>): JobHandler {
  return async (job) => {
    const { subscription_id: id, period_end: periodEndIso } = job.payload as { subscription_id: string; period_end: string };
    const sub = await findSubscription(deps.db, id);
    if (!sub || sub.status !== 'active' || sub.current_period_end.toISOString() !== periodEndIso) return;
    const now = deps.clock.now();
    if (sub.current_period_end > now) throw new Error(`period of ${id} ends at ${periodEndIso}`);
    const next = await nextTerms(deps, sub);
    const due = next.amount - periodDiscount(sub, next.amount);
    const charge = due > 0
      ? await chargeSavedMethod(deps, { tenantId: sub.tenant_id, customerId: sub.customer_id, paymentMethodId: sub.payment_method_id, now, amount: due, currency: sub.currency, idempotencyKey: `${sub.id}:renew:${periodEndIso}` })
      : null;
    const audit = { actor: { type: 'system' as const }, subject: { type: 'subscription', id: sub.id }, tenantId: sub.tenant_id };
    await deps.db.transaction(async (tx) => {
      if (charge?.status === 'declined') {
        if (!(await setStatus(tx, sub.id, 'active', 'past_due'))) return;
        const soft = classifyDecline(charge.declineCode).soft;
        await recordEvent(tx, { ...audit, action: 'subscription.renewal_failed', data: { period_end: periodEndIso, decline_code: charge.declineCode, soft } });
        await openDunningCase(tx, deps.config, { sub, amount: due, declineCode: charge.declineCode, soft, now });
        return;
      }
      await startNextPeriod(tx, deps, sub, { next, due, charge, now, fromStatus: 'active', action: 'subscription.renewed' });
    });
    deps.worker.nudge();
  };
}

/**
 * Inside a transaction, after a successful (or zero) charge for the boundary
 * at `current_period_end`: the next anchored period, the paid invoice, the
 * next renewal job and the audit row. Shared by renewals and dunning recovery.
 * False when the subscription has left that boundary (another run won).
 */
export async function startNextPeriod(
  tx: Tx,
  deps: Pick<Deps, 'gateway'>,
  sub: SubscriptionRow,
  r: { next: NextTerms; due: number; charge: Extract<ChargeResult, { status: 'succeeded' }> | null; now: Date; fromStatus: 'active' | 'past_due'; action: string },
): Promise<boolean> {
  const { next, due, charge, now } = r;
  const anchor = next.interval === sub.interval ? (sub.billing_anchor ?? sub.current_period_end) : sub.current_period_end;
  const toEnd = nextAnchoredEnd(anchor, sub.current_period_end, next.interval);
  const moved = await advancePeriod(tx, {
    id: sub.id, fromEnd: sub.current_period_end, toEnd, planId: next.planId, interval: next.interval, amount: next.amount, quoteId: next.quoteId, anchor,
    clearScheduled: next.changed, fromStatus: r.fromStatus, was: { planId: sub.plan_id, interval: sub.interval, amount: sub.amount },
  });
  if (!moved) {
    // The subscription moved on while we charged (a plan change, another run): the money belongs to no period.
    // (A charge some period already recorded is a replay of ours under the same key: never refund that.)
    if (charge && !(await isRecordedPayment(tx, charge.id))) await enqueueJob(tx, 'refund-charge', { enrollment_id: sub.enrollment_id, charge_id: charge.id, reason: 'renewal_superseded' });
    return false;
  }
  if (charge) {
    await insertPaidInvoice(tx, {
      id: newId('inv', now.getTime()), paymentId: newId('pay', now.getTime()), tenantId: sub.tenant_id, subscriptionId: sub.id, currency: sub.currency,
      amount: due, gateway: deps.gateway.name, chargeId: charge.id, now, periodStart: sub.current_period_end, periodEnd: toEnd, taxQuoteId: next.quoteId,
      lines: [
        { type: 'subscription', plan_id: next.planId, interval: next.interval, amount: next.amount },
        ...(due < next.amount ? [{ type: 'discount', coupon: sub.discount?.coupon, amount: due - next.amount }] : []),
      ],
    });
  }
  const j = renewalJob(sub.id, toEnd);
  await enqueueJob(tx, j.type, j.payload, { runAt: j.runAt });
  await recordEvent(tx, {
    action: r.action, actor: { type: 'system' }, subject: { type: 'subscription', id: sub.id }, tenantId: sub.tenant_id,
    data: { period_end: toEnd.toISOString(), amount: due, plan_id: next.planId, interval: next.interval, plan_changed: next.changed },
  });
  return true;
}

export interface NextTerms {
  planId: string;
  interval: 'month' | 'year';
  amount: number;
  quoteId: string;
  changed: boolean;
}

/** The next period's plan: a change scheduled for this boundary, priced by its signed quote; otherwise the same. */
export async function nextTerms(deps: { db: Queryable }, sub: SubscriptionRow): Promise<NextTerms> {
  const change = sub.scheduled_change as { quote_id?: string; effective_at?: string } | null;
  if (change?.quote_id && change.effective_at && new Date(change.effective_at) <= sub.current_period_end) {
    const q = await getQuote(deps.db, change.quote_id);
    if (q) return { planId: q.planId, interval: q.interval, amount: q.amount, quoteId: q.id, changed: true };
  }
  return { planId: sub.plan_id, interval: sub.interval, amount: sub.amount, quoteId: sub.quote_id, changed: false };
}

/**
 * A discount applies for its duration: `once` on the first paid invoice only
 * (`firstPaid`: a trial's conversion; a plan without trial had it at
 * completion), `forever` always, `repeating` for N months from the anchor.
 */
export function periodDiscount(sub: SubscriptionRow, amount: number, firstPaid = false): number {
  const d = sub.discount;
  if (!d) return 0;
  if (firstPaid) return discountAmount({ percentOff: d.percent_off, amountOff: d.amount_off?.[sub.currency] ?? null }, amount);
  if (d.duration === 'once') return 0;
  if (d.duration === 'repeating') {
    const start = sub.billing_anchor ?? sub.current_period_start;
    if (sub.current_period_end >= addMonths(start, d.duration_months ?? 0)) return 0;
  }
  return discountAmount({ percentOff: d.percent_off, amountOff: d.amount_off?.[sub.currency] ?? null }, amount);
}
