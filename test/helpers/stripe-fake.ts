import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback server that speaks Stripe's wire format for the calls Enroll
 * makes: form-encoded requests with bracketed keys, JSON objects, error
 * objects with `type`, `code`, `decline_code`, idempotency keys that replay
 * the stored response and refuse a reuse with other parameters. The official
 * `stripe` SDK is pointed at it (host, port, protocol). Test card numbers
 * behave as on Stripe: 4242… succeeds, 4000…0002 is declined, and so on.
 * 3-D Secure cards leave the intent in `requires_action`; the test-only
 * `POST /test/authenticate/:intent` plays the cardholder in Stripe.js (outcome
 * succeeded or failed), after which a manual-confirmation PaymentIntent waits
 * in `requires_confirmation` for the server's `/confirm`.
 */
type Decline = { code: string; decline?: string };
const CARDS: Record<string, { code?: string; decline?: string; brand: string; action?: boolean; afterAuth?: Decline }> = {
  '4242424242424242': { brand: 'visa' },
  '5555555555554444': { brand: 'mastercard' },
  '4000000000000002': { code: 'card_declined', decline: 'generic_decline', brand: 'visa' },
  '4000000000009995': { code: 'card_declined', decline: 'insufficient_funds', brand: 'visa' },
  '4000000000000069': { code: 'expired_card', brand: 'visa' },
  '4000000000000127': { code: 'incorrect_cvc', brand: 'visa' },
  '4000000000000119': { code: 'processing_error', brand: 'visa' },
  // 3-D Secure: the intent waits for the customer (status requires_action), no error.
  '4000002500003155': { brand: 'visa', action: true },
  // 3-D Secure, then declined once authenticated.
  '4000008260003178': { brand: 'visa', action: true, afterAuth: { code: 'card_declined', decline: 'insufficient_funds' } },
};

type Json = Record<string, any>;
// Stripe ids are mixed-case base62 (tok_1NbX…): the fake's too, so the edge schemas are exercised with real shapes.
const id = (prefix: string) => `${prefix}_1${randomBytes(18).toString('base64url').replace(/[-_]/g, 'x')}`;

/** `card[number]=1&expand[]=a` → { card: { number: '1' }, expand: ['a'] } */
export function parseForm(body: string): Json {
  const out: Json = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const parts = rawKey.replace(/\]/g, '').split('[');
    let node = out;
    parts.forEach((p, i) => {
      if (i === parts.length - 1) {
        if (p === '') (node as unknown as string[]).push(value);
        else node[p] = value;
      } else {
        node[p] ??= parts[i + 1] === '' ? [] : {};
        node = node[p];
      }
    });
  }
  return out;
}

export async function startStripeFake(opts: { secretKey: string; /** Stripe's clock (`created`); a test moves it with the adapter's. */ clock?: { now(): Date } }) {
  const tokens = new Map<string, { number: string; exp_month: number; exp_year: number; used: boolean }>();
  const methods = new Map<string, Json & { number: string }>();
  const charges = new Map<string, { captured: boolean; status: 'succeeded' | 'failed'; refunded: boolean; amount: number; currency?: string; created?: number; amountRefunded?: number }>();
  const nowS = () => Math.floor((opts.clock?.now().getTime() ?? Date.now()) / 1000);
  /** Stripe's list shape: newest first, a cursor (starting_after), `has_more`; `created[gte|lt]` filters. */
  const list = (items: Json[], p: Json) => {
    const gte = p.created?.gte !== undefined ? Number(p.created.gte) : -Infinity;
    const lt = p.created?.lt !== undefined ? Number(p.created.lt) : Infinity;
    const all = items.filter((x) => x.created >= gte && x.created < lt).reverse();
    const from = p.starting_after ? all.findIndex((x) => x.id === p.starting_after) + 1 : 0;
    const limit = Math.min(Number(p.limit ?? 10), 100);
    return { status: 200, body: { object: 'list', url: '', data: all.slice(from, from + limit), has_more: from + limit < all.length } };
  };
  const chargeWire = (id: string, c: { captured: boolean; status: string; refunded: boolean; amount: number; currency?: string; created?: number; amountRefunded?: number }) => ({
    id, object: 'charge', amount: c.amount, currency: c.currency ?? 'eur', captured: c.captured, status: c.status, refunded: c.refunded,
    amount_refunded: c.amountRefunded ?? (c.refunded ? c.amount : 0), created: c.created ?? nowS(),
  });
  const refunds: Json[] = [];
  const intents = new Map<string, Json>();
  const customers = new Map<string, Json>();
  const disputes = new Map<string, Json>();
  const idem = new Map<string, { fingerprint: string; status: number; body: Json }>();
  const requests: { method: string; path: string; params: Json; idempotencyKey?: string }[] = [];

  const error = (status: number, e: Json) => ({ status, body: { error: { message: e.message ?? e.code ?? e.type, ...e } } });
  const cardOf = (pm: Json & { number: string }) => CARDS[pm.number] ?? { brand: 'visa' };

  /** The issuer's verdict on an intent whose cardholder is done (or was never asked): money moves here, once. */
  function settle(intent: Json, decline: Decline | undefined): { status: number; body: Json } {
    const setup = intent.object === 'setup_intent';
    if (decline) {
      const chargeId = id('ch');
      if (!setup) charges.set(chargeId, { captured: false, status: 'failed', refunded: false, amount: intent.amount });
      const err = { type: 'card_error', code: decline.code, ...(decline.decline ? { decline_code: decline.decline } : {}), ...(setup ? {} : { charge: chargeId }) };
      Object.assign(intent, { status: 'requires_payment_method', [setup ? 'last_setup_error' : 'last_payment_error']: err, next_action: null });
      return error(402, { ...err, ...(setup ? { setup_intent: intent } : { payment_intent: intent }) });
    }
    if (setup) Object.assign(intent, { status: 'succeeded', next_action: null });
    else {
      const chargeId = id('ch');
      const captured = intent.capture_method !== 'manual';
      charges.set(chargeId, { captured, status: 'succeeded', refunded: false, amount: intent.amount });
      Object.assign(intent, { status: captured ? 'succeeded' : 'requires_capture', latest_charge: chargeId, next_action: null });
    }
    return { status: 200, body: intent };
  }

  function route(method: string, path: string, p: Json): { status: number; body: Json } {
    if (method === 'POST' && path === '/v1/tokens') {
      const c = p.card ?? {};
      const token = id('tok');
      tokens.set(token, { number: String(c.number), exp_month: Number(c.exp_month), exp_year: Number(c.exp_year), used: false });
      return { status: 200, body: { id: token, object: 'token', used: false, card: { brand: CARDS[c.number]?.brand ?? 'visa', last4: String(c.number).slice(-4) } } };
    }
    if (method === 'POST' && path === '/v1/payment_methods') {
      const token = tokens.get(p.card?.token);
      if (!token) return error(400, { type: 'invalid_request_error', code: 'resource_missing', param: 'card[token]', message: `No such token: '${p.card?.token}'` });
      if (token.used) return error(400, { type: 'invalid_request_error', code: 'token_already_used', param: 'card[token]' });
      token.used = true;
      const pm: Json & { number: string } = {
        id: id('pm'), object: 'payment_method', type: 'card', number: token.number, customer: null,
        card: {
          brand: CARDS[token.number]?.brand ?? 'visa', last4: token.number.slice(-4), exp_month: token.exp_month, exp_year: token.exp_year, country: 'US',
          fingerprint: createHash('sha256').update(`fp:${token.number}`).digest('base64url').slice(0, 16), checks: { cvc_check: 'pass', address_postal_code_check: null },
        },
      };
      methods.set(pm.id, pm);
      const { number: _hidden, ...wire } = pm;
      return { status: 200, body: wire };
    }
    if (method === 'POST' && path === '/v1/customers') {
      const c = { id: id('cus'), object: 'customer', metadata: p.metadata ?? {} };
      customers.set(c.id, c);
      return { status: 200, body: c };
    }
    const customerPath = /^\/v1\/customers\/([^/]+)$/.exec(path);
    if (method === 'DELETE' && customerPath) {
      // As on Stripe: deleting a customer detaches its saved methods; it is gone for later calls.
      if (!customers.delete(customerPath[1]!)) return error(404, { type: 'invalid_request_error', code: 'resource_missing', param: 'id' });
      for (const pm of methods.values()) if (pm.customer === customerPath[1]) pm.customer = null;
      return { status: 200, body: { id: customerPath[1], object: 'customer', deleted: true } };
    }
    const attach = /^\/v1\/payment_methods\/([^/]+)\/attach$/.exec(path);
    if (method === 'POST' && attach) {
      const pm = methods.get(attach[1]!);
      if (!pm) return error(404, { type: 'invalid_request_error', code: 'resource_missing', param: 'payment_method' });
      if (!customers.has(p.customer)) return error(400, { type: 'invalid_request_error', code: 'resource_missing', param: 'customer' });
      // As on Stripe: a method lives on one customer; attaching it elsewhere is refused.
      if (pm.customer && pm.customer !== p.customer) return error(400, { type: 'invalid_request_error', code: 'payment_method_unexpected_state', param: 'customer' });
      pm.customer = p.customer;
      const { number: _hidden, ...wire } = pm;
      return { status: 200, body: wire };
    }
    if (method === 'POST' && (path === '/v1/payment_intents' || path === '/v1/setup_intents')) {
      const setup = path === '/v1/setup_intents';
      const pm = methods.get(p.payment_method);
      if (!pm) return error(400, { type: 'invalid_request_error', code: 'resource_missing', param: 'payment_method' });
      // Stripe's rules for saved cards: off-session needs a customer, and the method must be attached to the
      // customer given (a method used without one cannot be charged again).
      if (p.off_session === 'true' && !p.customer) return error(400, { type: 'invalid_request_error', code: 'parameter_missing', param: 'customer' });
      if (p.customer !== undefined && pm.customer !== p.customer) {
        return error(400, { type: 'invalid_request_error', code: 'payment_method_invalid_parameter', param: 'payment_method', message: 'The PaymentMethod does not belong to the Customer you supplied.' });
      }
      const card = cardOf(pm);
      const amount = setup ? 0 : Number(p.amount);
      const intent: Json = setup
        ? { id: id('seti'), object: 'setup_intent', created: nowS(), payment_method: pm.id, status: 'succeeded', usage: p.usage ?? 'off_session' }
        : { id: id('pi'), object: 'payment_intent', created: nowS(), amount, currency: String(p.currency), payment_method: pm.id, capture_method: p.capture_method ?? 'automatic' };
      if (card.code) {
        const chargeId = id('ch');
        if (!setup) charges.set(chargeId, { captured: false, status: 'failed', refunded: false, amount, currency: String(p.currency), created: nowS() });
        intent.status = 'requires_payment_method';
        intents.set(intent.id, intent);
        return error(402, {
          type: 'card_error', code: card.code, ...(card.decline ? { decline_code: card.decline } : {}),
          ...(setup ? { setup_intent: intent } : { charge: chargeId, payment_intent: intent }),
        });
      }
      if (card.action) {
        intent.client_secret = `${intent.id}_secret_${randomBytes(8).toString('hex')}`;
        intent.confirmation_method = p.confirmation_method ?? 'automatic';
        Object.assign(intent, { status: 'requires_action', next_action: { type: 'use_stripe_sdk', use_stripe_sdk: { type: 'three_d_secure_redirect' } } });
        intents.set(intent.id, intent);
        return { status: 200, body: intent };
      }
      if (!setup) {
        const chargeId = id('ch');
        const captured = intent.capture_method !== 'manual';
        charges.set(chargeId, { captured, status: 'succeeded', refunded: false, amount, currency: String(p.currency), created: nowS() });
        Object.assign(intent, { status: captured ? 'succeeded' : 'requires_capture', latest_charge: chargeId });
      }
      intents.set(intent.id, intent);
      return { status: 200, body: intent };
    }
    const detach = /^\/v1\/payment_methods\/([^/]+)\/detach$/.exec(path);
    if (method === 'POST' && detach) {
      const pm = methods.get(detach[1]!);
      if (!pm) return error(404, { type: 'invalid_request_error', code: 'resource_missing', param: 'payment_method' });
      methods.delete(pm.id);
      const { number: _hidden, ...wire } = pm;
      return { status: 200, body: { ...wire, customer: null } };
    }
    const read = /^\/v1\/(payment_intents|setup_intents)\/([^/]+)$/.exec(path);
    if (method === 'GET' && read) {
      const intent = intents.get(read[2]!);
      return intent ? { status: 200, body: intent } : error(404, { type: 'invalid_request_error', code: 'resource_missing' });
    }
    const confirm = /^\/v1\/payment_intents\/([^/]+)\/confirm$/.exec(path);
    if (method === 'POST' && confirm) {
      const intent = intents.get(confirm[1]!);
      if (!intent) return error(404, { type: 'invalid_request_error', code: 'resource_missing' });
      if (intent.status !== 'requires_confirmation') return error(400, { type: 'invalid_request_error', code: 'payment_intent_unexpected_state' });
      return settle(intent, cardOf(methods.get(intent.payment_method)!).afterAuth);
    }
    // Test-only: what Stripe.js does when the cardholder finishes (or fails) the 3-D Secure challenge.
    const auth = /^\/test\/authenticate\/([^/]+)$/.exec(path);
    if (method === 'POST' && auth) {
      const intent = intents.get(auth[1]!);
      if (!intent || intent.status !== 'requires_action') return error(400, { type: 'invalid_request_error', code: 'payment_intent_unexpected_state' });
      const setup = intent.object === 'setup_intent';
      if (p.outcome !== 'succeeded') {
        const code = setup ? 'setup_intent_authentication_failure' : 'payment_intent_authentication_failure';
        Object.assign(intent, { status: 'requires_payment_method', next_action: null, [setup ? 'last_setup_error' : 'last_payment_error']: { type: 'invalid_request_error', code } });
        return { status: 200, body: intent };
      }
      if (intent.confirmation_method === 'manual') {
        Object.assign(intent, { status: 'requires_confirmation', next_action: null });
        return { status: 200, body: intent };
      }
      const out = settle(intent, cardOf(methods.get(intent.payment_method)!).afterAuth);
      return out.status === 200 ? out : { status: 200, body: intent };
    }
    // Stripe cancels an intent that is not money yet (an authorisation not captured, one waiting for the customer).
    const cancel = /^\/v1\/(payment_intents|setup_intents)\/([^/]+)\/cancel$/.exec(path);
    if (method === 'POST' && cancel) {
      const intent = intents.get(cancel[2]!);
      if (!intent) return error(404, { type: 'invalid_request_error', code: 'resource_missing' });
      if (['succeeded', 'canceled'].includes(intent.status)) return error(400, { type: 'invalid_request_error', code: `${intent.object}_unexpected_state` });
      Object.assign(intent, { status: 'canceled', next_action: null, cancellation_reason: p.cancellation_reason ?? null });
      return { status: 200, body: intent };
    }
    if (method === 'GET' && path === '/v1/charges') return list([...charges].map(([cid, c]) => chargeWire(cid, c)), p);
    const charge = /^\/v1\/charges\/([^/]+)$/.exec(path);
    if (method === 'GET' && charge) {
      const c = charges.get(charge[1]!);
      return c ? { status: 200, body: chargeWire(charge[1]!, c) } : error(404, { type: 'invalid_request_error', code: 'resource_missing', param: 'id' });
    }
    if (method === 'GET' && path === '/v1/refunds') return list(refunds, p);
    if (method === 'GET' && path === '/v1/disputes') return list([...disputes.values()], p);
    const one = /^\/v1\/disputes\/([^/]+)$/.exec(path);
    if (method === 'GET' && one) {
      const d = disputes.get(one[1]!);
      return d ? { status: 200, body: d } : error(404, { type: 'invalid_request_error', code: 'resource_missing', param: 'id' });
    }
    const dispute = /^\/v1\/disputes\/([^/]+?)(\/close)?$/.exec(path);
    if (method === 'POST' && dispute) {
      const d = disputes.get(dispute[1]!);
      if (!d) return error(404, { type: 'invalid_request_error', code: 'resource_missing', param: 'dispute' });
      // As on Stripe: only a dispute still waiting for the merchant can be answered or conceded.
      if (!['needs_response', 'warning_needs_response'].includes(d.status)) return error(400, { type: 'invalid_request_error', code: 'dispute_already_closed' });
      if (dispute[2]) d.status = 'lost';
      else {
        Object.assign(d.evidence, p.evidence ?? {});
        if (p.submit === 'true') Object.assign(d, { status: 'under_review', evidence_details: { submission_count: 1 } });
      }
      return { status: 200, body: d };
    }
    if (method === 'POST' && path === '/v1/refunds') {
      const ch = charges.get(p.charge);
      if (!ch) return error(400, { type: 'invalid_request_error', code: 'resource_missing', param: 'charge' });
      if (ch.status !== 'succeeded' || !ch.captured) return error(400, { type: 'invalid_request_error', code: 'charge_not_refundable', param: 'charge' });
      if (ch.refunded) return error(400, { type: 'invalid_request_error', code: 'charge_already_refunded' });
      // Like Stripe: `amount` refunds part of what is left (the dashboard's partial refund); without it, all of it.
      const already = ch.amountRefunded ?? 0;
      const amount = p.amount !== undefined ? Number(p.amount) : ch.amount - already;
      if (!(amount > 0) || already + amount > ch.amount) return error(400, { type: 'invalid_request_error', code: 'amount_too_large', param: 'amount' });
      ch.amountRefunded = already + amount;
      ch.refunded = ch.amountRefunded === ch.amount;
      const refund = { id: id('re'), object: 'refund', charge: p.charge, amount, currency: ch.currency ?? 'eur', status: 'succeeded', created: nowS() };
      refunds.push(refund);
      return { status: 200, body: refund };
    }
    return error(404, { type: 'invalid_request_error', code: 'resource_missing', message: `Unrecognized request URL (${method}: ${path})` });
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const reply = (status: number, body: Json, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': id('req'), ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${opts.secretKey}`) {
      return reply(401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } });
    }
    const path = (req.url ?? '/').split('?')[0]!;
    const params = parseForm(req.method === 'GET' ? (req.url ?? '').split('?')[1] ?? '' : raw);
    const key = req.headers['idempotency-key'] as string | undefined;
    requests.push({ method: req.method!, path, params, idempotencyKey: key });
    const fingerprint = `${req.method} ${path} ${raw}`;
    if (key && req.method === 'POST') {
      const seen = idem.get(key);
      if (seen) {
        if (seen.fingerprint !== fingerprint) {
          return reply(400, { error: { type: 'idempotency_error', message: 'Keys for idempotent requests can only be used with the same parameters they were first used with.' } });
        }
        return reply(seen.status, seen.body, { 'idempotent-replayed': 'true' });
      }
    }
    const out = route(req.method!, path, params);
    // Stripe replays the response as first sent, not the object's state now: store a copy.
    if (key && req.method === 'POST') idem.set(key, { fingerprint, status: out.status, body: JSON.parse(JSON.stringify(out.body)) });
    reply(out.status, out.body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { type: 'api_error', message: String(err) } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    requests,
    /** The customer a method is attached to (null when none): what a test asserts reuse against. */
    customerOf: (pmId: string) => (methods.get(pmId)?.customer as string | null | undefined) ?? null,
    customers,
    disputes,
    /** A charge made outside Enroll's books (or whose webhook and record were lost): what reconciliation must find. */
    addCharge: (c: { amount: number; currency?: string; refunded?: boolean; amountRefunded?: number; created?: number }) => {
      const chargeId = id('ch');
      charges.set(chargeId, { captured: true, status: 'succeeded', refunded: c.refunded ?? false, amountRefunded: c.amountRefunded, amount: c.amount, currency: c.currency ?? 'eur', created: c.created ?? nowS() });
      return chargeId;
    },
    /** A charge made `seconds` earlier than it was: one from before a reconciliation window. */
    backdateCharge: (chargeId: string, seconds: number) => {
      const ch = charges.get(chargeId)!;
      ch.created = (ch.created ?? nowS()) - seconds;
    },
    /** The network moves a dispute on (won, lost…) without telling us: what a re-fetch must see. */
    setDisputeStatus: (disputeId: string, status: string) => Object.assign(disputes.get(disputeId)!, { status }),
    /** The card network opens a dispute on a charge (what a webhook then reports). */
    openDispute: (chargeId: string, o: { reason: string; amount?: number; currency?: string }) => {
      const ch = charges.get(chargeId);
      const d: Json = { id: id('dp'), object: 'dispute', created: nowS(), charge: chargeId, amount: o.amount ?? ch?.amount ?? 0, currency: o.currency ?? 'eur', reason: o.reason, status: 'needs_response', evidence: {}, evidence_details: { submission_count: 0 } };
      disputes.set(d.id, d);
      return d;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
