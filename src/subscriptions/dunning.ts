import { recordEvent } from '../audit/index.js';
import type { Config } from '../config/index.js';
import type { Queryable, Tx } from '../db/index.js';
import type { Deps } from '../deps.js';
import { enqueueJob, type JobHandler } from '../jobs/index.js';
import { newId } from '../kernel/ids.js';
import { chargeSavedMethod, classifyDecline } from '../payments/index.js';
import { findSubscription, setStatus, type SubscriptionRow } from './repository.js';
import { nextTerms, startNextPeriod } from './renew-subscription.js';

const DAY = 86_400_000;

interface DunningCase {
  id: string;
  subscription_id: string;
  period_end: Date;
  amount: number;
  currency: string;
  soft: boolean;
  attempts: number;
  status: 'open' | 'recovered' | 'exhausted';
  opened_at: Date;
}

/** Days after the failure at which the charge is tried again, by decline class (config). */
export function retryDays(config: Pick<Config, 'dunning'>, soft: boolean): readonly number[] {
  return soft ? config.dunning.softRetryDays : config.dunning.hardRetryDays;
}

/**
 * Open a case for a failed renewal, in the renewal's transaction: the first
 * retry is scheduled by the decline class, and the customer is told at once
 * (with the way to update the card). A second failure of the same boundary
 * does not open a second case.
 */
export async function openDunningCase(tx: Tx, config: Pick<Config, 'dunning'>, i: { sub: SubscriptionRow; amount: number; declineCode: string; soft: boolean; now: Date }) {
  const id = newId('dun', i.now.getTime());
  const { rows } = await tx.query(
    `INSERT INTO dunning_cases (id, subscription_id, period_end, amount, currency, decline_code, soft, opened_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (subscription_id, period_end) DO NOTHING RETURNING id`,
    [id, i.sub.id, i.sub.current_period_end, i.amount, i.sub.currency, i.declineCode, i.soft, i.now],
  );
  if (rows.length === 0) return;
  const days = retryDays(config, i.soft);
  if (days.length > 0) await enqueueJob(tx, 'dunning-retry', { case_id: id }, { runAt: new Date(i.now.getTime() + days[0]! * DAY) });
  await enqueueJob(tx, 'send-dunning-email', { case_id: id, kind: 'payment_failed', next_retry_at: days.length > 0 ? new Date(i.now.getTime() + days[0]! * DAY).toISOString() : null });
  await recordEvent(tx, {
    action: 'dunning.opened', actor: { type: 'system' }, subject: { type: 'subscription', id: i.sub.id }, tenantId: i.sub.tenant_id,
    data: { case_id: id, amount: i.amount, decline_code: i.declineCode, soft: i.soft, retry_days: days },
  });
}

export async function findCase(db: Queryable, id: string, forUpdate = false): Promise<DunningCase | null> {
  const { rows } = await db.query<DunningCase>(`SELECT * FROM dunning_cases WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0] ? { ...rows[0], amount: Number(rows[0].amount) } : null;
}

/** The open case of a past_due subscription, if any (a card update retries it at once). */
export async function openCaseOf(db: Queryable, subscriptionId: string): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>(`SELECT id FROM dunning_cases WHERE subscription_id = $1 AND status = 'open' ORDER BY opened_at DESC LIMIT 1`, [subscriptionId]);
  return rows[0]?.id ?? null;
}

/**
 * Job `dunning-retry`: charge the failed boundary again (a fresh key per
 * attempt: a decline is final for its key). Success: the subscription is active
 * again in its next period, the case is recovered. Decline: the next retry of
 * the schedule, or after the last one the final action (cancel or pause).
 */
export function dunningRetryHandler(deps: Pick<Deps, 'db' | 'gateway' | 'clock' | 'config' | 'worker'>): JobHandler {
  return async (job) => {
    const { case_id: caseId } = job.payload as { case_id: string };
    const c = await findCase(deps.db, caseId);
    if (!c || c.status !== 'open') return;
    const sub = await findSubscription(deps.db, c.subscription_id);
    if (!sub || sub.status !== 'past_due' || sub.current_period_end.getTime() !== c.period_end.getTime()) return;
    const now = deps.clock.now();
    const attempt = c.attempts + 1;
    const charge = await chargeSavedMethod(deps, {
      tenantId: sub.tenant_id, customerId: sub.customer_id, paymentMethodId: sub.payment_method_id, now, amount: c.amount, currency: c.currency, idempotencyKey: `${sub.id}:dunning:${c.period_end.toISOString()}:${attempt}`,
    });
    const audit = { actor: { type: 'system' as const }, subject: { type: 'subscription', id: sub.id }, tenantId: sub.tenant_id };
    await deps.db.transaction(async (tx) => {
      const locked = await findCase(tx, caseId, true);
      if (!locked || locked.status !== 'open' || locked.attempts !== c.attempts) return; // another retry ran meanwhile
      if (charge.status === 'succeeded') {
        const next = await nextTerms({ db: tx }, sub);
        if (!(await startNextPeriod(tx, deps, sub, { next, due: c.amount, charge, now, fromStatus: 'past_due', action: 'subscription.recovered' }))) return;
        await tx.query(`UPDATE dunning_cases SET status = 'recovered', attempts = $2, closed_at = $3 WHERE id = $1`, [caseId, attempt, now]);
        await recordEvent(tx, { ...audit, action: 'dunning.recovered', data: { case_id: caseId, attempts: attempt } });
        return;
      }
      const days = retryDays(deps.config, c.soft);
      const nextDay = days[attempt - 1];
      if (nextDay !== undefined) {
        await tx.query(`UPDATE dunning_cases SET attempts = $2 WHERE id = $1`, [caseId, attempt]);
        const nextAt = new Date(c.opened_at.getTime() + nextDay * DAY);
        await enqueueJob(tx, 'dunning-retry', { case_id: caseId }, { runAt: nextAt });
        // An email at every failed step of the grace period, with the next date: the customer can act before it.
        await enqueueJob(tx, 'send-dunning-email', { case_id: caseId, kind: 'payment_failed', next_retry_at: nextAt.toISOString(), attempt });
        await recordEvent(tx, { ...audit, action: 'dunning.retry_failed', data: { case_id: caseId, attempt, decline_code: charge.declineCode, soft: classifyDecline(charge.declineCode).soft } });
        return;
      }
      const final = deps.config.dunning.finalAction === 'pause' ? 'paused' : 'canceled';
      await setStatus(tx, sub.id, 'past_due', final);
      await tx.query(`UPDATE dunning_cases SET status = 'exhausted', attempts = $2, closed_at = $3 WHERE id = $1`, [caseId, attempt, now]);
      await enqueueJob(tx, 'send-dunning-email', { case_id: caseId, kind: 'subscription_ended', next_retry_at: null });
      await recordEvent(tx, { ...audit, action: 'dunning.exhausted', data: { case_id: caseId, attempts: attempt, final_status: final } });
    });
    deps.worker.nudge();
  };
}
