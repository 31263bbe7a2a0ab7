import { scopedDb, type Db } from '../db/index.js';
import type { ChargeResult, PaymentGateway } from './gateway.js';
import { findAttachment, findGatewayCustomer, linkGatewayCustomer, recordAttachment } from './repository.js';

interface PayerDeps {
  db: Db;
  gateway: PaymentGateway;
}

/** Who pays, as the gateway knows it: the tenant's Enroll customer and the card saved for it. */
export interface Payer {
  tenantId: string;
  customerId: string;
  paymentMethodId: string;
  now: Date;
}

/** What a charge of a subscription without a card on file (a card-less trial) comes to: a hard decline, no gateway call. */
export const NO_PAYMENT_METHOD = 'no_payment_method';

/**
 * The gateway customer of an Enroll customer in a tenant, created on first need.
 * The key derives from persisted ids, so racers get the same gateway customer
 * from the gateway, and the mapping's primary key keeps one row whatever the race.
 * The mapping is the payer's tenant's row: read and written in that tenant's scope,
 * whoever calls (a member's request, or a job narrowing its system scope).
 */
export async function ensureGatewayCustomer(deps: PayerDeps, p: Omit<Payer, 'paymentMethodId'>): Promise<string> {
  const db = scopedDb(deps.db, { tenantId: p.tenantId });
  const known = await findGatewayCustomer(db, deps.gateway.name, p.tenantId, p.customerId);
  if (known) return known;
  const created = await deps.gateway.createCustomer({ reference: p.customerId, idempotencyKey: `${p.tenantId}:${p.customerId}:gateway-customer` });
  return linkGatewayCustomer(db, { gateway: deps.gateway.name, tenantId: p.tenantId, customerId: p.customerId, gatewayCustomerId: created.id, now: p.now });
}

/** Save the card on the payer's gateway customer (once; a recorded attachment is not asked again). Returns that customer. */
export async function savePaymentMethod(deps: PayerDeps, p: Payer): Promise<string> {
  const customer = await ensureGatewayCustomer(deps, p);
  if ((await findAttachment(deps.db, deps.gateway.name, p.paymentMethodId)) === customer) return customer;
  await deps.gateway.attachPaymentMethod({ paymentMethodId: p.paymentMethodId, customerId: customer, idempotencyKey: `${p.paymentMethodId}:attach:${customer}` });
  await recordAttachment(deps.db, { gateway: deps.gateway.name, paymentMethodId: p.paymentMethodId, gatewayCustomerId: customer, now: p.now });
  return customer;
}

/**
 * A merchant-initiated charge (renewal, trial conversion, dunning, proration) of
 * the saved card on the payer's gateway customer, as Stripe requires for reuse.
 */
export async function chargeSavedMethod(
  deps: PayerDeps,
  p: Omit<Payer, 'paymentMethodId'> & { paymentMethodId: string | null; amount: number; currency: string; idempotencyKey: string },
): Promise<ChargeResult> {
  if (!p.paymentMethodId) return { status: 'declined', id: NO_PAYMENT_METHOD, declineCode: NO_PAYMENT_METHOD, amount: p.amount, currency: p.currency.toUpperCase() };
  const customerId = await savePaymentMethod(deps, { ...p, paymentMethodId: p.paymentMethodId });
  return deps.gateway.charge({
    paymentMethodId: p.paymentMethodId!, customerId, offSession: true, amount: p.amount, currency: p.currency, capture: true, idempotencyKey: p.idempotencyKey,
  });
}
