import type { Deps } from '../deps.js';
import { createQuote, recordExposures, type Quote } from '../pricing/index.js';
import { promotionErrors, resolveCoupon, resolveReferral } from '../promotions/index.js';
import { advance, assertCanAdvance, type AdvanceInput } from './advance.js';
import type { FlowContext } from './context.js';
import { loadEnrollment } from './load-enrollment.js';
import type { Enrollment } from './repository.js';
import { needsCard } from './needs-card.js';
import { transition } from './machine.js';

/**
 * The payment step follows the plan: a card-less trial skips it, and a switch back to a plan that needs a
 * card, with none given, returns to it. A card given already is kept either way.
 */
function paymentFollowUp(deps: Pick<Deps, 'catalog'>, selected: Pick<Enrollment, 'state' | 'payment_method'>, quote: Quote): AdvanceInput | null {
  const cardless = !needsCard(deps.catalog, quote);
  const data = { plan_id: quote.planId, trial_days: quote.trialDays };
  if (cardless && selected.state === 'plan_selected') return { event: 'skip_payment', audit: { action: 'enrollment.payment_skipped', data }, last: true };
  if (!cardless && selected.state === 'payment_attached' && !selected.payment_method) {
    return { event: 'require_payment', audit: { action: 'enrollment.payment_required', data }, last: true };
  }
  return null;
}

/** Choose a plan; answers with a stored, signed, expiring quote — the exact amount completion will charge. */
export async function selectPlan(
  deps: Pick<Deps, 'db' | 'keys' | 'catalog' | 'config' | 'tax' | 'referrals' | 'pricingRules' | 'vault'>,
  id: string,
  input: {
    plan_id: string; interval: 'month' | 'year'; currency: string; vat_id?: string; coupon?: string; referral_code?: string;
    team_size?: number; projects?: number; visitor_id?: string;
  },
  ctx: FlowContext,
): Promise<{ enrollment: Enrollment; quote: Quote }> {
  return deps.db.transaction(async (tx) => {
    const e = await loadEnrollment(tx, id, deps.vault);
    assertCanAdvance(e, 'select_plan', ctx.now);
    // One discount per quote: a coupon or a referral, never both stacked.
    if (input.coupon && input.referral_code) throw promotionErrors.pricing_referral_not_applicable({ fields: { referral_code: ['not_combinable'] } });
    const discount = input.coupon
      ? await resolveCoupon(tx, input.coupon, { planId: input.plan_id, interval: input.interval, currency: input.currency.toUpperCase(), now: ctx.now })
      : input.referral_code
        ? await resolveReferral(tx, deps.referrals, input.referral_code, { emailNormalized: e.email_normalized }, deps.vault)
        : undefined;
    const quote = await createQuote(tx, {
      catalog: deps.catalog,
      enrollmentId: e.id,
      planId: input.plan_id,
      interval: input.interval,
      currency: input.currency,
      locale: e.locale,
      now: ctx.now,
      ttlMinutes: deps.config.quoteTtlMinutes,
      signingKey: deps.keys.quotes,
      taxRules: deps.tax,
      // Tax follows where the buyer is: the profile's country (required before a plan can be chosen).
      country: e.profile?.country ?? e.country ?? undefined,
      vatId: input.vat_id,
      discount,
      pricing: { rules: deps.pricingRules, signals: { team_size: input.team_size, projects: input.projects }, visitorId: input.visitor_id },
    });
    if (input.visitor_id && quote.pricing.assignments.length > 0) {
      await recordExposures(tx, { assignments: quote.pricing.assignments, visitorId: input.visitor_id, surface: 'quote', quoteId: quote.id, rulesVersion: deps.pricingRules.version, now: ctx.now });
    }
    // Known before the write (the state select_plan leads to, and the card held): whichever advance comes last
    // travels with the COMMIT.
    const followUp = paymentFollowUp(deps, { state: transition(e.state, 'select_plan')!, payment_method: e.payment_method }, quote);
    const selected = await advance(
      tx,
      e,
      {
        event: 'select_plan',
        ...(followUp ? {} : { last: true as const }),
        patch: { quote_id: quote.id, currency: quote.currency },
        audit: {
          action: 'enrollment.plan_selected',
          data: { quote_id: quote.id, plan_id: quote.planId, interval: quote.interval, currency: quote.currency, amount: quote.amount, net: quote.net, tax: quote.tax.amount, tax_mode: quote.tax.mode, catalog_version: quote.catalogVersion,
            list_amount: quote.pricing.listAmount, pricing_version: quote.pricing.rulesVersion, adjustments: quote.lines.filter((l) => l.type === 'adjustment').map((l) => ({ reason: l.reason, amount: l.amount })) },
        },
      },
      ctx,
    );
    const enrollment = followUp ? await advance(tx, selected, followUp, ctx) : selected;
    return { enrollment, quote };
  });
}
