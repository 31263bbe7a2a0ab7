import type { AuditEvent } from '../audit/index.js';
import { acrossTenants, type Tx } from '../db/index.js';
import { newId } from '../kernel/ids.js';
import type { Quote } from '../pricing/index.js';
import { discountOfQuote } from './coupon-line.js';
import { findReferralCode, recordReferral, referrerCurrency } from './referral-repository.js';
import type { ReferralRules } from './referral-rules.js';
import { takeRedemption } from './repository.js';

type Event = Pick<AuditEvent, 'action' | 'subject' | 'data'>;

/**
 * Inside the completion transaction: redeem the quote's coupon (atomically,
 * within its limit) or record its referral and credit the referrer (within the
 * reward cap). Returns the audit events, or `coupon_exhausted` when the last
 * redemption went to another enrollment meanwhile.
 */
export async function redeemPromotions(
  tx: Tx,
  i: { quote: Quote; enrollmentId: string; customerId: string; subscriptionId: string; rules: ReferralRules; now: Date },
): Promise<{ ok: true; events: Event[] } | { ok: false; reason: 'coupon_exhausted' }> {
  const events: Event[] = [];
  const coupon = discountOfQuote(i.quote.lines, 'coupon');
  if (coupon) {
    const taken = await takeRedemption(tx, {
      id: newId('red', i.now.getTime()), code: coupon.code, enrollmentId: i.enrollmentId, customerId: i.customerId, subscriptionId: i.subscriptionId,
      amountOff: coupon.amountOff, currency: i.quote.currency, now: i.now,
    });
    if (!taken) return { ok: false, reason: 'coupon_exhausted' };
    events.push({ action: 'coupon.redeemed', subject: { type: 'coupon', id: coupon.code }, data: { enrollment_id: i.enrollmentId, subscription_id: i.subscriptionId, amount_off: coupon.amountOff, currency: i.quote.currency } });
  }
  const referral = discountOfQuote(i.quote.lines, 'referral');
  const ref = referral ? await findReferralCode(tx, referral.code) : null;
  if (referral && ref) {
    // The referrer is credited in the currency they are billed in, from the rules' table (never converted).
    const currency = (await acrossTenants(tx, 'referral-referrer-currency', () => referrerCurrency(tx, ref.customer_id))) ?? i.quote.currency;
    const credit = Object.hasOwn(i.rules.referrer.credit, currency) ? i.rules.referrer.credit[currency]! : null;
    const id = newId('red', i.now.getTime());
    const r = await recordReferral(tx, {
      id, creditId: newId('red', i.now.getTime()), code: referral.code, referrerId: ref.customer_id, refereeEnrollmentId: i.enrollmentId, refereeCustomerId: i.customerId,
      discount: referral.amountOff, currency: i.quote.currency, credit, creditCurrency: currency, maxRewards: i.rules.max_rewards_per_referrer, now: i.now,
    });
    // The referee's discount belongs to their first paid invoice: stamped like a `once` coupon, so a trial's
    // conversion charges the discounted price too.
    await tx.query(
      `UPDATE subscriptions SET discount = jsonb_build_object('referral', $2::text, 'percent_off', $3::int, 'amount_off', NULL, 'duration', 'once', 'duration_months', NULL) WHERE id = $1`,
      [i.subscriptionId, referral.code, i.rules.referee.percent_off],
    );
    events.push({
      action: r.rewarded ? 'referral.rewarded' : 'referral.recorded',
      subject: { type: 'customer', id: ref.customer_id },
      data: { referral_id: id, referee_customer_id: i.customerId, discount: referral.amountOff, ...(r.rewarded ? { credit, currency } : { reason: credit === null ? 'no_credit_in_currency' : 'reward_cap_reached' }) },
    });
  }
  return { ok: true, events };
}
