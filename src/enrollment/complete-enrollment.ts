import { recordEvent, type AuditEvent } from '../audit/index.js';
import { recordConsents } from '../compliance/index.js';
import { findCustomerIdByEmailHash, insertCustomer } from '../customers/index.js';
import type { Deps } from '../deps.js';
import { declareTenant, lastStatement, type Tx } from '../db/index.js';
import { isAppError } from '../kernel/errors.js';
import { newId } from '../kernel/ids.js';
import { recordAttachment, recordGatewayCustomer, type ChargeResult } from '../payments/index.js';
import { enqueueJob } from '../jobs/index.js';
import { discountOfQuote, findCoupon, promotionErrors, redeemPromotions } from '../promotions/index.js';
import { getQuote, pricingErrors, verifyQuote, type Quote } from '../pricing/index.js';
import { createFirstCycle, isRecordedPayment, renewalJob, TRIAL_REMINDER_DAYS } from '../subscriptions/index.js';
import { createTenant, DEFAULT_ROLES } from '../tenants/index.js';
import { advance, assertCanAdvance } from './advance.js';
import type { FlowContext } from './context.js';
import { declineError, keepsCard } from './decline-advice.js';
import { enrollmentErrors } from './errors.js';
import { loadEnrollment } from './load-enrollment.js';
import { authenticationRequired } from './require-authentication.js';
import { needsCard } from './needs-card.js';
import { assertNotHeldByRisk, passRiskGate } from './risk-gate.js';
import { countPaymentAttempts, insertPaymentAttempt, lockEnrollment, type CompletionResult, type Enrollment, type PaymentMethodSummary } from './repository.js';

class EmailTaken extends Error {}
/** The quote's coupon ran out while this enrollment was paying: a race lost to other redemptions. */
class CouponExhausted extends Error {}
/** The enrollment was completed meanwhile, but with another charge than ours. */
class CompletedWithoutUs extends Error {
  constructor(readonly result: CompletionResult) {
    super('completed by another charge');
  }
}

/**
 * Charge (or, for a trial, authorise) exactly the quote, then create
 * everything in ONE transaction: customer, tenant, roles, membership,
 * subscription, first invoice and payment, consents, audit, outbox jobs.
 *
 * Races: the gateway call carries a key derived from persisted state (the
 * enrollment's version and its count of failed attempts), so 20 concurrent
 * calls make one charge; the transaction locks the enrollment row first, so
 * only one of them creates anything and the others return its result.
 * A charge that no enrollment keeps (the plan or card changed while it was in
 * flight, the address was taken, the enrollment expired) is refunded through
 * the outbox. A crash between charge and commit is healed by a retry: same
 * state, same key, same charge.
 */
export async function completeEnrollment(deps: Pick<Deps, 'db' | 'keys' | 'gateway' | 'worker' | 'risk' | 'referrals' | 'config' | 'catalog' | 'vault'>, id: string, ctx: FlowContext): Promise<CompletionResult> {
  const e = await loadEnrollment(deps.db, id, deps.vault);
  if (e.state === 'completed') return e.result!;
  assertNotHeldByRisk(e);
  assertCanAdvance(e, 'complete', ctx.now);
  // The reads completion needs before it charges, together: one round trip.
  const [quote, taken, attempt] = await deps.db.transaction((tx) =>
    Promise.all([
      e.quote_id ? getQuote(tx, e.quote_id) : null,
      findCustomerIdByEmailHash(tx, e.email_hash!, e.id),
      countPaymentAttempts(lastStatement(tx), e.id),
    ]),
  );
  if (!quote) throw pricingErrors.pricing_quote_invalid();
  verifyQuote(quote, { now: ctx.now, signingKey: deps.keys.quotes });
  // Cheap early answer, before any money moves; the unique index inside the transaction stays the final word.
  // (A customer made by this very enrollment is a concurrent completion winning: the transaction sorts that out.)
  if (taken) throw enrollmentErrors.enrollment_email_unavailable();
  // Never charge before the risk decision allows it (deny, review and an unmet challenge all stop here).
  await passRiskGate(deps, e, quote, ctx);
  // Same for a coupon already used up; takeRedemption inside the transaction is the atomic word.
  const coupon = discountOfQuote(quote.lines, 'coupon');
  const c = coupon ? await findCoupon(deps.db, coupon.code) : null;
  if (c && c.max_redemptions !== null && c.redeemed >= c.max_redemptions) throw promotionErrors.pricing_coupon_exhausted({ fields: { coupon: ['exhausted'] } });
  const pm = e.payment_method;
  // A card-less trial completes without a card (skip_payment); any other quote needs one.
  if (!pm && needsCard(deps.catalog, quote)) throw enrollmentErrors.enrollment_invalid_transition({ extra: { enrollment_id: e.id, state: e.state, next: ['payment'] } });
  const trial = quote.trialDays > 0;
  // Customer-present: the issuer may ask for 3-D Secure. A pending challenge changes nothing here, so the
  // call after it reuses this key and the gateway confirms the same payment: one charge, however many calls.
  const charge = pm && await deps.gateway.chargeOnSession({
    paymentMethodId: pm.id,
    ...(pm.gateway_customer_id ? { customerId: pm.gateway_customer_id } : {}),
    amount: quote.amount,
    currency: quote.currency,
    capture: !trial,
    idempotencyKey: `${e.id}:complete:v${e.version}:${attempt}`,
  });
  if (charge?.status === 'requires_action') throw await authenticationRequired(deps, e, charge, ctx);
  if (charge?.status === 'declined') {
    await recordDecline(deps, e, charge, ctx);
    throw declineError(charge.declineCode);
  }

  try {
    const result = await deps.db.transaction((tx) => createEverything(tx, deps, e, quote, charge, ctx));
    deps.worker.nudge();
    return result;
  } catch (err) {
    if (err instanceof EmailTaken) {
      // Another enrollment completed with this address meanwhile: give the money back, create nothing.
      await releaseCharge(deps, e, charge, 'email_unavailable', ctx);
      throw enrollmentErrors.enrollment_email_unavailable();
    }
    if (err instanceof CouponExhausted) {
      await releaseCharge(deps, e, charge, 'coupon_exhausted', ctx);
      throw promotionErrors.pricing_coupon_exhausted({ fields: { coupon: ['exhausted'] } });
    }
    if (err instanceof CompletedWithoutUs) {
      await releaseCharge(deps, e, charge, 'completed_with_another_charge', ctx);
      return err.result;
    }
    // Definitive refusals after the money moved: the charge belongs to no enrollment.
    if (isAppError(err, enrollmentErrors.enrollment_conflict) || isAppError(err, enrollmentErrors.enrollment_expired)) {
      await releaseCharge(deps, e, charge, err.code, ctx);
    }
    // Anything else (a crash, the database gone) is left for a retry, which reuses the key and the charge.
    throw err;
  }
}

/** Refund, through the outbox, a captured charge that no enrollment kept. An authorisation was voided already. */
async function releaseCharge(deps: Pick<Deps, 'db' | 'worker' | 'vault'>, e: Enrollment, charge: Extract<ChargeResult, { status: 'succeeded' }> | null, reason: string, ctx: FlowContext) {
  if (charge?.kind !== 'charge') return;
  await deps.db.transaction(async (tx) => {
    await enqueueJob(tx, 'refund-charge', { enrollment_id: e.id, charge_id: charge.id, reason });
    await recordEvent(tx, {
      action: 'payment.release_requested', actor: ctx.actor, channel: ctx.channel, requestId: ctx.requestId,
      subject: { type: 'enrollment', id: e.id }, data: { gateway_reference: charge.id, reason },
    });
  });
  deps.worker.nudge();
}

async function createEverything(
  tx: Tx,
  deps: Pick<Deps, 'gateway' | 'referrals' | 'vault'>,
  e: Enrollment,
  quote: Quote,
  charge: Extract<ChargeResult, { status: 'succeeded' }> | null,
  ctx: FlowContext,
): Promise<CompletionResult> {
  const locked = (await lockEnrollment(tx, e.id, deps.vault))!;
  if (locked.state === 'completed') {
    // A concurrent call won. With our charge (same key): same answer. With another: ours must go back.
    // Its payments are its tenant's rows: the transaction names that tenant before it looks.
    await declareTenant(tx, locked.result!.tenant_id);
    if (charge && !(await isRecordedPayment(tx, charge.id))) throw new CompletedWithoutUs(locked.result!);
    return locked.result!;
  }
  // Plan or card changed since we charged: the charge belongs to a stale view.
  if (locked.version !== e.version) throw enrollmentErrors.enrollment_conflict({ extra: { enrollment_id: e.id } });
  const profile = locked.profile!;
  const customerId = await insertCustomer(tx, {
    id: newId('cus', ctx.now.getTime()),
    // The enrollment's sealed profile as it is: same subject, same key, so erasure shreds both copies at once.
    piiSealed: locked.profile_sealed!,
    emailHash: locked.email_hash!,
    country: profile.country,
    locale: locked.locale,
    enrollmentId: locked.id,
    now: ctx.now,
  });
  if (!customerId) throw new EmailTaken();
  const { tenantId } = await createTenant(tx, { ownerCustomerId: customerId, enrollmentId: locked.id, name: 'Workspace', now: ctx.now });
  const cycle = await createFirstCycle(tx, {
    tenantId,
    customerId,
    enrollmentId: locked.id,
    quote,
    paymentMethodId: locked.payment_method?.id ?? null,
    gateway: deps.gateway.name,
    charge,
    now: ctx.now,
  });
  if (locked.payment_method) await saveGatewayCustomer(tx, deps.gateway.name, { tenantId, customerId, pm: locked.payment_method, now: ctx.now });
  const promotions = await redeemPromotions(tx, { quote, enrollmentId: locked.id, customerId, subscriptionId: cycle.subscription.id, rules: deps.referrals, now: ctx.now });
  if (!promotions.ok) throw new CouponExhausted();
  await recordConsents(tx, { enrollmentId: locked.id, customerId, tenantId, channel: locked.channel, requestId: ctx.requestId, now: ctx.now, locale: locked.locale, consents: locked.consents });
  const event = (action: string, subject: { type: string; id: string }, data: Record<string, unknown>): AuditEvent => ({
    action, actor: ctx.actor, channel: ctx.channel, requestId: ctx.requestId, subject, tenantId, data,
  });
  const events = [
    event('customer.created', { type: 'customer', id: customerId }, { enrollment_id: locked.id }),
    event('tenant.created', { type: 'tenant', id: tenantId }, { owner_customer_id: customerId, roles: Object.keys(DEFAULT_ROLES) }),
    event('subscription.created', { type: 'subscription', id: cycle.subscription.id }, { plan_id: quote.planId, status: cycle.subscription.status, quote_id: quote.id }),
    ...(charge && cycle.paymentId
      ? [event(charge.kind === 'charge' ? 'payment.captured' : 'payment.authorized', { type: 'payment', id: cycle.paymentId }, {
          amount: charge.amount, currency: charge.currency, gateway_reference: charge.id, invoice_id: cycle.invoice.id,
        })]
      : []),
    ...promotions.events.map((p) => event(p.action, p.subject, p.data ?? {})),
    ...locked.consents.map((c) => event('consent.recorded', { type: 'customer', id: customerId }, { purpose: c.purpose, granted: c.granted, policy_version: c.policy_version })),
  ];
  const result: CompletionResult = { customer_id: customerId, tenant_id: tenantId, subscription: cycle.subscription, invoice: cycle.invoice };
  await advance(
    tx,
    locked,
    {
      event: 'complete',
      patch: { result, completed_at: ctx.now },
      audit: { action: 'enrollment.completed', tenantId, data: { customer_id: customerId, subscription_id: cycle.subscription.id } },
      events,
      jobs: [
        { type: 'send-welcome-email', payload: { enrollment_id: locked.id, customer_id: customerId, tenant_id: tenantId } },
        // A trial converts by itself at its end: a durable job in the same transaction, so a restart cannot lose it.
        ...(cycle.subscription.trial_end
          ? [
              { type: 'convert-trial', payload: { subscription_id: cycle.subscription.id }, runAt: new Date(cycle.subscription.trial_end) },
              // Three days before (at once for a shorter trial): what will be charged, and when.
              { type: 'send-trial-reminder', payload: { subscription_id: cycle.subscription.id }, runAt: new Date(Math.max(ctx.now.getTime(), new Date(cycle.subscription.trial_end).getTime() - TRIAL_REMINDER_DAYS * 86_400_000)) },
            ]
          : [renewalJob(cycle.subscription.id, new Date(cycle.subscription.current_period_end))]),
      ],
      last: true,
    },
    ctx,
  );
  return result;
}

/** The enrollment's gateway customer becomes the Enroll customer's, in this tenant; its card is saved on it. */
async function saveGatewayCustomer(tx: Tx, gateway: string, i: { tenantId: string; customerId: string; pm: PaymentMethodSummary; now: Date }) {
  if (!i.pm.gateway_customer_id) return; // a card from before customers existed: linked lazily before its first off-session charge
  await recordGatewayCustomer(tx, { gateway, tenantId: i.tenantId, customerId: i.customerId, gatewayCustomerId: i.pm.gateway_customer_id, now: i.now });
  await recordAttachment(tx, { gateway, paymentMethodId: i.pm.id, gatewayCustomerId: i.pm.gateway_customer_id, now: i.now });
}

/** One attempt row per gateway charge; a hard decline detaches the card so another can be tried. */
async function recordDecline(deps: Pick<Deps, 'db' | 'vault'>, e: Enrollment, charge: Extract<ChargeResult, { status: 'declined' }>, ctx: FlowContext) {
  await deps.db.transaction(async (tx) => {
    const locked = (await lockEnrollment(tx, e.id, deps.vault))!;
    const recorded = await insertPaymentAttempt(tx, {
      enrollmentId: e.id, gatewayReference: charge.id, amount: charge.amount, currency: charge.currency, declineCode: charge.declineCode, now: ctx.now,
    });
    if (!recorded) return; // a concurrent caller already recorded this decline
    const data = { gateway_reference: charge.id, decline_code: charge.declineCode, payment_method_id: e.payment_method?.id };
    if (!keepsCard(charge.declineCode) && locked.state === 'payment_attached' && locked.payment_method?.id === e.payment_method?.id) {
      await advance(tx, locked, {
        event: 'decline_payment',
        patch: { payment_method: null, last_decline: { decline_code: charge.declineCode, at: ctx.now.toISOString() } },
        audit: { action: 'payment.declined', data },
      }, ctx);
    } else {
      await recordEvent(tx, { action: 'payment.declined', actor: ctx.actor, channel: ctx.channel, requestId: ctx.requestId, subject: { type: 'enrollment', id: e.id }, data });
    }
  });
}
