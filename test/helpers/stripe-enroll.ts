import type Stripe from 'stripe';
import { expect } from 'vitest';
import type { TestApp } from './app.js';
import { call, profile, readCode } from './flow.js';

/** A paid Starter subscription through Stripe (a card token from "Stripe.js"): the charge, enrollment and subscription ids. */
export async function paidStripeCharge(t: TestApp, browser: Stripe, email: string) {
  const id = (await call(t.app, 'POST', '/v1/enrollments', {})).body.id as string;
  await call(t.app, 'PUT', `/v1/enrollments/${id}/profile`, profile(email));
  await call(t.app, 'POST', `/v1/enrollments/${id}/verification`, { channel: 'email' });
  await call(t.app, 'POST', `/v1/enrollments/${id}/verification/confirm`, { code: await readCode(t.app, t.deps, email) });
  await call(t.app, 'PUT', `/v1/enrollments/${id}/plan`, { plan_id: 'starter', interval: 'month', currency: 'EUR' });
  const token = await browser.tokens.create({ card: { number: '4242424242424242', exp_month: '12', exp_year: '2031', cvc: '123' } } as never);
  await call(t.app, 'PUT', `/v1/enrollments/${id}/payment-method`, { token: token.id });
  const done = await call(t.app, 'POST', `/v1/enrollments/${id}/complete`);
  expect(done.status).toBe(200);
  const { rows } = await t.db.query(`SELECT p.gateway_reference FROM payments p JOIN invoices i ON i.id = p.invoice_id WHERE i.subscription_id = $1`, [done.body.subscription.id]);
  return { chargeId: rows[0].gateway_reference as string, enrollmentId: id, subscriptionId: done.body.subscription.id as string };
}
