import type { Deps } from '../deps.js';
import { sha256 } from '../kernel/crypto.js';
import { cardSignal, insertSignals } from '../risk/index.js';
import { advance, assertCanAdvance, type AdvanceInput } from './advance.js';
import type { FlowContext } from './context.js';
import { loadEnrollment } from './load-enrollment.js';
import type { Enrollment } from './repository.js';
import { getQuote, type Quote } from '../pricing/index.js';

/**
 * Exchange a gateway token for a reusable payment method. The token itself is
 * never stored: only the gateway's payment-method id and the card summary.
 * The card is recorded as a risk signal now, so a card tried on many
 * enrollments counts even where none of them is ever charged; the card rules
 * themselves run at completion, before the charge.
 */
export async function attachPaymentMethod(
  deps: Pick<Deps, 'db' | 'gateway' | 'keys' | 'vault'>,
  id: string,
  token: string,
  ctx: FlowContext,
): Promise<{ enrollment: Enrollment; quote: Quote | null }> {
  const e = await loadEnrollment(deps.db, id, deps.vault);
  assertCanAdvance(e, 'attach_payment', ctx.now);
  // Derived, not random: a retried request reuses the key and gets the same payment method.
  const pm = await deps.gateway.createPaymentMethod({ token, idempotencyKey: `${e.id}:attach-payment:${sha256(token).slice(0, 24)}` });
  // The card is saved on the enrollment's gateway customer before its first use: Stripe never lets a method
  // charged without a customer be reused, and renewals must reuse it. One key per enrollment: one customer,
  // whichever card or retry; completion maps it to the Enroll customer and tenant it creates.
  const customer = await deps.gateway.createCustomer({ reference: e.id, idempotencyKey: `${e.id}:gateway-customer` });
  await deps.gateway.attachPaymentMethod({ paymentMethodId: pm.id, customerId: customer.id, idempotencyKey: `${pm.id}:attach:${customer.id}` });
  const attached: AdvanceInput = {
    event: 'attach_payment',
    patch: { payment_method: { id: pm.id, ...pm.card, gateway_customer_id: customer.id }, last_decline: null },
    audit: { action: 'enrollment.payment_method_attached', data: { payment_method_id: pm.id, brand: pm.card.brand, last4: pm.card.last4, gateway: deps.gateway.name } },
    last: true,
  };
  // The version read above guards the write: a concurrent change makes this an enrollment_conflict.
  return deps.db.transaction(async (tx) => {
    await insertSignals(tx, [cardSignal(deps, e.id, pm.card.fingerprint, ctx.now)]);
    // The quote the answer shows is read in the same write as the transition and its COMMIT.
    const [quote, enrollment] = await Promise.all([e.quote_id ? getQuote(tx, e.quote_id) : null, advance(tx, e, attached, ctx)]);
    return { enrollment, quote };
  });
}
