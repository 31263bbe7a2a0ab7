import { recordEvent } from '../audit/index.js';
import type { Deps } from '../deps.js';
import { enqueueJob, type JobHandler } from '../jobs/index.js';
import { newId } from '../kernel/ids.js';
import { chargeSavedMethod, classifyDecline } from '../payments/index.js';
import { periodEnd } from './periods.js';
import { openDunningCase } from './dunning.js';
import { periodDiscount, renewalJob } from './renew-subscription.js';
import { endTrial, findSubscription, insertPaidInvoice, isRecordedPayment } from './repository.js';

/**
 * Job `convert-trial`, scheduled at the trial's end when the enrollment
 * completed: charge the card on file for the first paid period (key derived
 * from the subscription, so a retried job charges once), then make the
 * subscription `active` from the trial's end for one interval. A decline ends
 * the trial in the configured state (`TRIAL_END_BEHAVIOUR`: past_due, pause or
 * cancel). A subscription that is no longer trialing is left alone.
 */
export function convertTrialHandler(deps: Pick<Deps, 'db' | 'gateway' | 'clock' | 'config'>): JobHandler {
  return async (job) => {
    const { subscription_id: id } = job.payload as { subscription_id: string };
    const sub = await findSubscription(deps.db, id);
    if (!sub || sub.status !== 'trialing' || !sub.trial_end) return;
    const now = deps.clock.now();
    // Not yet (a clock moved back, or a job run early by hand): fail, and the worker tries again later.
    if (sub.trial_end > now) throw new Error(`trial of ${id} ends at ${sub.trial_end.toISOString()}`);
    // The first paid invoice: the customer's coupon or referral discount applies here (a `once` one too).
    const due = sub.amount - periodDiscount(sub, sub.amount, true);
    // Nothing to charge under a 100 % coupon: the period starts all the same (gateways refuse zero captures).
    const charge = due > 0
      ? await chargeSavedMethod(deps, { tenantId: sub.tenant_id, customerId: sub.customer_id, paymentMethodId: sub.payment_method_id, now, amount: due, currency: sub.currency, idempotencyKey: `${sub.id}:trial-convert` })
      : null;
    const audit = { actor: { type: 'system' as const }, subject: { type: 'subscription', id: sub.id }, tenantId: sub.tenant_id };
    await deps.db.transaction(async (tx) => {
      if (charge?.status === 'declined') {
        // A soft decline may pass on a retry: past_due, and dunning retries it. No card at all (a card-less
        // trial) or a hard decline: the configured end behaviour (past_due still lets dunning wait for a card).
        const soft = classifyDecline(charge.declineCode).soft;
        const status = soft ? 'past_due' : deps.config.trialEndBehaviour;
        if (!(await endTrial(tx, { id: sub.id, status, period: null }))) return;
        await recordEvent(tx, { ...audit, action: 'subscription.trial_conversion_failed', data: { decline_code: charge.declineCode, soft, status } });
        // Past due keeps access while dunning retries the first charge.
        if (status === 'past_due') await openDunningCase(tx, deps.config, { sub, amount: due, declineCode: charge.declineCode, soft, now });
        return;
      }
      const period = { start: sub.trial_end!, end: periodEnd(sub.trial_end!, sub.interval) };
      if (!(await endTrial(tx, { id: sub.id, status: 'active', period }))) {
        // No longer trialing (cancelled meanwhile, or another run converted it): this charge belongs to nothing.
        if (charge && !(await isRecordedPayment(tx, charge.id))) await enqueueJob(tx, 'refund-charge', { enrollment_id: sub.enrollment_id, charge_id: charge.id, reason: 'trial_conversion_superseded' });
        return;
      }
      if (charge) {
        await insertPaidInvoice(tx, {
          id: newId('inv', now.getTime()), paymentId: newId('pay', now.getTime()), tenantId: sub.tenant_id, subscriptionId: sub.id, currency: sub.currency,
          amount: charge.amount, gateway: deps.gateway.name, chargeId: charge.id, now, periodStart: period.start, periodEnd: period.end, taxQuoteId: sub.quote_id,
          lines: [
            { type: 'subscription', plan_id: sub.plan_id, interval: sub.interval, amount: sub.amount },
            ...(due < sub.amount ? [{ type: 'discount', coupon: sub.discount?.coupon, amount: due - sub.amount }] : []),
          ],
        });
      }
      const j = renewalJob(sub.id, period.end);
      await enqueueJob(tx, j.type, j.payload, { runAt: j.runAt });
      await recordEvent(tx, { ...audit, action: 'subscription.trial_converted', data: { amount: due, currency: sub.currency, gateway_reference: charge?.id ?? null, period_end: period.end.toISOString() } });
    });
  };
}
