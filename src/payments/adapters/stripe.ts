import Stripe from 'stripe';
import { systemClock, type Clock } from '../../kernel/clock.js';
import { paymentErrors } from '../errors.js';
import { DEFAULT_CHALLENGE_TTL_MINUTES, type CardSummary, type ChargeResult, type GatewayCharge, type GatewayDispute, type OnSessionChargeResult, type PaymentGateway } from '../gateway.js';

export interface StripeGatewayConfig {
  secretKey: string;
  /** Tests point the SDK at a loopback server speaking Stripe's wire format. */
  host?: string;
  port?: number;
  protocol?: 'http' | 'https';
  /** A customer-present intent left in requires_action this long is abandoned: canceled, authentication_expired. Default DEFAULT_CHALLENGE_TTL_MINUTES. */
  challengeTtlMinutes?: number;
  /** Compared with the intent's `created` (Stripe's clock): the system clock, or a test's shared with its fake. */
  clock?: Clock;
}

/**
 * PaymentGateway over Stripe through the official SDK: PaymentMethods from
 * Stripe.js tokens, PaymentIntents for charges (manual capture then cancel
 * for a non-zero authorisation), SetupIntents for a zero-amount validation,
 * Refunds. A customer-present charge uses manual confirmation, so 3-D Secure
 * answers requires_action and the same call after authentication confirms it.
 * Every call carries the caller's idempotency key (derived from
 * persisted ids), so a retry replays Stripe's stored answer instead of
 * charging again; the SDK's own retries are off for the same reason.
 */
export function createStripePaymentGateway(config: StripeGatewayConfig): PaymentGateway {
  const stripe = new Stripe(config.secretKey, {
    maxNetworkRetries: 0,
    telemetry: false,
    ...(config.host ? { host: config.host, port: config.port, protocol: config.protocol ?? 'https' } : {}),
  });
  const clock = config.clock ?? systemClock;
  const ttlMs = (config.challengeTtlMinutes ?? DEFAULT_CHALLENGE_TTL_MINUTES) * 60_000;
  /**
   * Stripe keeps an intent in requires_action indefinitely; we bound the customer's time like the sandbox does. Past
   * the deadline the intent is canceled as abandoned (under a key derived from the caller's, so once), after which
   * Stripe.js can no longer complete it and every replay reads it canceled.
   */
  async function expireIfDue<T extends Stripe.PaymentIntent | Stripe.SetupIntent>(intent: T, key: string, api: IntentApi<T>): Promise<T> {
    if (intent.status !== 'requires_action' || clock.now().getTime() < intent.created * 1000 + ttlMs) return intent;
    try {
      return await api.cancel(intent.id, { cancellation_reason: 'abandoned' }, { idempotencyKey: `${key}:expire` });
    } catch (err) {
      // The cardholder finished meanwhile (the intent moved on): read where it is now instead.
      if (!(err instanceof Stripe.errors.StripeInvalidRequestError)) throw err;
      return api.retrieve(intent.id);
    }
  }
  return {
    name: 'stripe',
    createPaymentMethod: (input) =>
      call(async () => {
        const pm = await stripe.paymentMethods.create({ type: 'card', card: { token: input.token } }, { idempotencyKey: input.idempotencyKey });
        return { id: pm.id, card: cardSummary(pm.card) };
      }, 'payment_method'),
    createCustomer: (input) =>
      call(async () => {
        const c = await stripe.customers.create({ metadata: { enroll_reference: input.reference } }, { idempotencyKey: input.idempotencyKey });
        return { id: c.id };
      }, 'payment_method'),
    attachPaymentMethod: (input) =>
      call(async () => {
        const pm = await stripe.paymentMethods.attach(input.paymentMethodId, { customer: input.customerId }, { idempotencyKey: input.idempotencyKey });
        return { id: pm.id, customerId: typeof pm.customer === 'string' ? pm.customer : pm.customer?.id ?? input.customerId };
      }, 'payment_method'),
    charge: (input) =>
      call(async (): Promise<ChargeResult> => {
        const base = { amount: input.amount, currency: input.currency.toUpperCase() };
        try {
          if (!input.capture && input.amount === 0) {
            // A zero authorisation is a SetupIntent: Stripe checks the card with the issuer and stores nothing to capture.
            const si = await stripe.setupIntents.create(
              { payment_method: input.paymentMethodId, confirm: true, usage: 'off_session', ...payer(input) },
              { idempotencyKey: input.idempotencyKey },
            );
            if (si.status !== 'succeeded') return notDone(si.status, si.id, base);
            return { status: 'succeeded', id: si.id, kind: 'authorization', ...base };
          }
          const pi = await stripe.paymentIntents.create(
            {
              amount: input.amount, currency: base.currency.toLowerCase(), payment_method: input.paymentMethodId, confirm: true,
              capture_method: input.capture ? 'automatic' : 'manual', ...payer(input), ...(input.offSession ? { off_session: true } : {}),
            },
            { idempotencyKey: input.idempotencyKey },
          );
          // Only a finished intent is money: 3-D Secure (requires_action) or a pending one is not a success.
          if (pi.status !== (input.capture ? 'succeeded' : 'requires_capture')) return notDone(pi.status, pi.id, base);
          return finished(stripe, pi, input.idempotencyKey, base);
        } catch (err) {
          return cardDecline(err, base);
        }
      }, 'payment_method'),
    chargeOnSession: (input) =>
      call(async (): Promise<OnSessionChargeResult> => {
        const base = { amount: input.amount, currency: input.currency.toUpperCase() };
        const key = input.idempotencyKey;
        try {
          if (!input.capture && input.amount === 0) {
            const created = await stripe.setupIntents.create({ payment_method: input.paymentMethodId, confirm: true, usage: 'off_session', ...payer(input) }, { idempotencyKey: key });
            // A replayed create answers what Stripe said the first time; the intent may have moved since (the cardholder authenticated).
            const si = created.status === 'requires_action' ? await expireIfDue(await stripe.setupIntents.retrieve(created.id), key, stripe.setupIntents) : created;
            if (si.status === 'succeeded') return { status: 'succeeded', id: si.id, kind: 'authorization', ...base };
            return unfinished(si, base);
          }
          // Manual confirmation: after the cardholder authenticates, only OUR confirm (same key, so once) moves the money.
          const created = await stripe.paymentIntents.create(
            {
              amount: input.amount, currency: base.currency.toLowerCase(), payment_method: input.paymentMethodId, confirm: true,
              confirmation_method: 'manual', capture_method: input.capture ? 'automatic' : 'manual', ...payer(input),
            },
            { idempotencyKey: key },
          );
          let pi = created.status === 'requires_action' ? await expireIfDue(await stripe.paymentIntents.retrieve(created.id), key, stripe.paymentIntents) : created;
          if (pi.status === 'requires_confirmation') pi = await stripe.paymentIntents.confirm(pi.id, {}, { idempotencyKey: `${key}:confirm` });
          if (pi.status === (input.capture ? 'succeeded' : 'requires_capture')) return finished(stripe, pi, key, base);
          // A concurrent caller confirmed and voided the authorisation already (an abandoned one is unfinished()'s).
          if (!input.capture && pi.status === 'canceled' && pi.cancellation_reason !== 'abandoned') return { status: 'succeeded', id: pi.id, kind: 'authorization', ...base };
          return unfinished(pi, base);
        } catch (err) {
          return cardDecline(err, base);
        }
      }, 'payment_method'),
    // Reads: no idempotency key (GETs are safe to repeat); pagination follows Stripe's cursor (starting_after).
    listCharges: (input) =>
      call(async () => {
        const out: GatewayCharge[] = [];
        const toCharge = (c: Stripe.Charge): GatewayCharge => ({
          id: c.id, amount: c.amount, currency: c.currency.toUpperCase(), captured: c.captured, status: c.status === 'succeeded' ? 'succeeded' : 'failed',
          refunded: c.refunded, amountRefunded: c.amount_refunded, createdAt: new Date(c.created * 1000),
        });
        for await (const c of stripe.charges.list({ created: window(input), limit: 100 })) out.push(toCharge(c));
        // A refund made in the window on an older charge (from Stripe's dashboard, its webhook missed) is in no page
        // of charges created in the window: its charge is fetched too.
        const listed = new Set(out.map((c) => c.id));
        for await (const r of stripe.refunds.list({ created: window(input), limit: 100 })) {
          const chargeId = typeof r.charge === 'string' ? r.charge : r.charge?.id;
          if (!chargeId || listed.has(chargeId)) continue;
          listed.add(chargeId);
          out.push(toCharge(await stripe.charges.retrieve(chargeId)));
        }
        return out;
      }, 'payment_method'),
    listDisputes: (input) =>
      call(async () => {
        const out: GatewayDispute[] = [];
        for await (const d of stripe.disputes.list({ created: window(input), limit: 100 })) out.push(disputeOf(d));
        return out;
      }, 'payment_method'),
    retrieveDispute: (id) =>
      call(async () => {
        try {
          return disputeOf(await stripe.disputes.retrieve(id));
        } catch (err) {
          if (err instanceof Stripe.errors.StripeInvalidRequestError && err.statusCode === 404) return null;
          throw err;
        }
      }, 'payment_method'),
    submitDisputeEvidence: (input) =>
      call(async () => {
        const d = await stripe.disputes.update(input.disputeId, { evidence: input.evidence, submit: true }, { idempotencyKey: input.idempotencyKey });
        return { id: d.id, status: d.status };
      }, 'payment_method'),
    acceptDispute: (input) =>
      call(async () => {
        const d = await stripe.disputes.close(input.disputeId, {}, { idempotencyKey: input.idempotencyKey });
        return { id: d.id, status: d.status };
      }, 'payment_method'),
    refund: (input) =>
      call(async () => {
        const r = await stripe.refunds.create({ charge: input.chargeId }, { idempotencyKey: input.idempotencyKey });
        return { id: r.id, status: 'succeeded' as const };
      }, 'refund'),
    // Erasure detaches each known method, then deletes the customer (which takes any other saved method with it).
    deletePaymentMethod: (input) => deleted(() => stripe.paymentMethods.detach(input.paymentMethodId, {}, { idempotencyKey: input.idempotencyKey })),
    deleteCustomer: (input) => deleted(() => stripe.customers.del(input.customerId, {}, { idempotencyKey: input.idempotencyKey })),
  };
}

/** An erasure call: gone already at Stripe (resource_missing) is `deleted: false`, so a retried job completes. */
async function deleted(del: () => Promise<unknown>): Promise<{ deleted: boolean }> {
  try {
    await del();
    return { deleted: true };
  } catch (err) {
    if (err instanceof Stripe.errors.StripeInvalidRequestError && err.code === 'resource_missing') return { deleted: false };
    return call(() => Promise.reject(err), 'payment_method');
  }
}

type Base = { amount: number; currency: string };
/** What expiring needs of stripe.paymentIntents or stripe.setupIntents. */
interface IntentApi<T> {
  cancel(id: string, params: { cancellation_reason: 'abandoned' }, options: { idempotencyKey: string }): Promise<T>;
  retrieve(id: string): Promise<T>;
}

/** A finished intent: a capture is its charge; an authorisation is a check, voided at once under a key derived from the caller's. */
async function finished(stripe: Stripe, pi: Stripe.PaymentIntent, key: string, base: Base): Promise<ChargeResult> {
  if (pi.status === 'succeeded') return { status: 'succeeded', id: String(pi.latest_charge), kind: 'charge', ...base };
  await stripe.paymentIntents.cancel(pi.id, {}, { idempotencyKey: `${key}:void` });
  return { status: 'succeeded', id: pi.id, kind: 'authorization', ...base };
}

/** A card_error is a decline (a result); anything else is rethrown for call() to classify. */
function cardDecline(err: unknown, base: Base): ChargeResult {
  if (!(err instanceof Stripe.errors.StripeCardError)) throw err;
  const raw = err.raw as { charge?: string; payment_intent?: { id: string }; setup_intent?: { id: string } };
  const declineCode = err.decline_code || err.code || 'generic_decline';
  return { status: 'declined', id: raw.charge ?? raw.payment_intent?.id ?? raw.setup_intent?.id ?? 'unknown', declineCode, ...base };
}

/**
 * A customer-present intent that is not money (yet): waiting for the cardholder
 * (3-D Secure: Stripe.js completes it with the client secret), or back to
 * requires_payment_method after a failed authentication or a decline at
 * confirmation (read from last_payment_error, so a replay answers the same).
 */
function unfinished(intent: Stripe.PaymentIntent | Stripe.SetupIntent, base: Base): OnSessionChargeResult {
  if (intent.status === 'canceled' && intent.cancellation_reason === 'abandoned') return { status: 'declined', id: intent.id, declineCode: 'authentication_expired', ...base };
  if (intent.status === 'requires_action') {
    return { status: 'requires_action', id: intent.id, ...base, nextAction: { type: 'three_d_secure', challengeId: intent.id, ...(intent.client_secret ? { clientSecret: intent.client_secret } : {}) } };
  }
  const e = 'last_payment_error' in intent ? intent.last_payment_error : intent.last_setup_error;
  if (intent.status === 'requires_payment_method' && e) {
    const declineCode = e.code === 'payment_intent_authentication_failure' || e.code === 'setup_intent_authentication_failure' ? 'authentication_failed' : e.decline_code || e.code || 'generic_decline';
    const chargeId = 'charge' in e && typeof e.charge === 'string' ? e.charge : intent.id;
    return { status: 'declined', id: chargeId, declineCode, ...base };
  }
  return notDone(intent.status, intent.id, base);
}

function window(input: { since: Date; until: Date }) {
  return { gte: Math.floor(input.since.getTime() / 1000), lt: Math.ceil(input.until.getTime() / 1000) };
}

function disputeOf(d: Stripe.Dispute): GatewayDispute {
  return {
    id: d.id, chargeId: typeof d.charge === 'string' ? d.charge : d.charge.id, status: d.status, amount: d.amount, currency: d.currency.toUpperCase(),
    reason: d.reason ?? null, createdAt: new Date(d.created * 1000),
  };
}

/** A saved card is charged on its customer (Stripe refuses to reuse an unattached method). */
function payer(input: { customerId?: string }): { customer?: string } {
  return input.customerId ? { customer: input.customerId } : {};
}

/**
 * An intent that did not finish: one waiting for the customer (3-D Secure) is a
 * decline with `authentication_required` (the flow cannot complete off-session);
 * anything else (processing, canceled) is reported as unavailable, so the caller
 * retries under the same key and reads the settled result.
 */
function notDone(status: string, id: string, base: Base): ChargeResult {
  if (status === 'requires_action' || status === 'requires_confirmation') return { status: 'declined', id, declineCode: 'authentication_required', ...base };
  throw paymentErrors.payment_gateway_unavailable({ detail: `Stripe intent ${id} is ${status}` });
}

function cardSummary(card: Stripe.PaymentMethod.Card | null | undefined): CardSummary {
  if (!card) throw paymentErrors.payment_method_invalid();
  return {
    brand: card.brand, last4: card.last4, exp_month: card.exp_month, exp_year: card.exp_year,
    fingerprint: card.fingerprint ?? '', ...(card.country ? { country: card.country } : {}),
  };
}

/** Stripe's error types → our codes; anything that is not the caller's mistake is "unavailable" (retry later). */
async function call<T>(fn: () => Promise<T>, invalidAs: 'payment_method' | 'refund'): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof Stripe.errors.StripeIdempotencyError) throw paymentErrors.payment_idempotency_mismatch({ cause: err });
    if (err instanceof Stripe.errors.StripeInvalidRequestError) {
      throw invalidAs === 'refund' ? paymentErrors.payment_refund_invalid({ cause: err }) : paymentErrors.payment_method_invalid({ cause: err });
    }
    if (err instanceof Stripe.errors.StripeError || err instanceof Error) throw paymentErrors.payment_gateway_unavailable({ cause: err });
    throw err;
  }
}
