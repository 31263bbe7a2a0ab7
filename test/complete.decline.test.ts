import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/kernel/clock.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { completionCounts, EXACTLY_ONE, NOTHING } from './helpers/counts.js';
import { call, enrollUpToPayment, tokenize } from './helpers/flow.js';

describe('declined cards at completion', () => {
  let t: TestApp;
  const clock = createManualClock();
  beforeAll(async () => {
    t = await createTestApp({}, { clock });
  });
  afterAll(() => t.close());

  it.each([
    ['4000000000000002', 'generic_decline', 'payment_card_declined'],
    ['4000000000009995', 'insufficient_funds', 'payment_insufficient_funds'],
    ['4000000000000069', 'expired_card', 'payment_card_expired'],
    ['4000000000000127', 'incorrect_cvc', 'payment_incorrect_cvc'],
  ])('%s → %s, nothing created, retry with another card succeeds', async (card, declineCode, code) => {
    const { id } = await enrollUpToPayment(t.app, t.deps, `decline-${declineCode}@example.com`, { card });
    const res = await call(t.app, 'POST', `/v1/enrollments/${id}/complete`);
    expect(res.status).toBe(402);
    expect(res.body).toMatchObject({ code, decline_code: declineCode });
    expect(res.body.advice).toMatch(/^(try_another_card|check_card_details)$/);
    expect(await completionCounts(t.db, id)).toMatchObject(NOTHING);

    const after = await call(t.app, 'GET', `/v1/enrollments/${id}`);
    expect(after.body).toMatchObject({ status: 'plan_selected', next: ['plan', 'payment'], payment_method: null, last_decline: { decline_code: declineCode } });

    const token = await tokenize(t.app, '4242424242424242');
    expect((await call(t.app, 'PUT', `/v1/enrollments/${id}/payment-method`, { token })).status).toBe(200);
    const ok = await call(t.app, 'POST', `/v1/enrollments/${id}/complete`);
    expect(ok.status).toBe(200);
    expect(ok.body.subscription.status).toBe('active');
    // One declined charge, one successful one.
    expect(await completionCounts(t.db, id)).toEqual({ ...EXACTLY_ONE, charges: 2 });
  });

  it('a processing error keeps the card and the next attempt is a new charge', async () => {
    const { id } = await enrollUpToPayment(t.app, t.deps, 'processing@example.com', { card: '4000000000000119' });
    const first = await call(t.app, 'POST', `/v1/enrollments/${id}/complete`);
    expect(first.status).toBe(402);
    expect(first.body).toMatchObject({ code: 'payment_processing_error', decline_code: 'processing_error', advice: 'retry_later' });
    expect((await call(t.app, 'GET', `/v1/enrollments/${id}`)).body.status).toBe('payment_attached');
    const second = await call(t.app, 'POST', `/v1/enrollments/${id}/complete`);
    expect(second.body.code).toBe('payment_processing_error');
    expect((await completionCounts(t.db, id)).charges).toBe(2);
  });

  it('an expired quote is refused at completion and nothing is charged', async () => {
    const { id, quote } = await enrollUpToPayment(t.app, t.deps, 'late@example.com');
    clock.advance(Date.parse(quote.expires_at) - clock.now().getTime() + 1);
    const res = await call(t.app, 'POST', `/v1/enrollments/${id}/complete`);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('pricing_quote_expired');
    expect((await completionCounts(t.db, id)).charges).toBe(0);
    // Selecting the plan again gives a fresh quote, and the attached card is kept.
    const again = await call(t.app, 'PUT', `/v1/enrollments/${id}/plan`, { plan_id: 'starter', interval: 'month', currency: 'EUR' });
    expect(again.body.enrollment.status).toBe('payment_attached');
    expect((await call(t.app, 'POST', `/v1/enrollments/${id}/complete`)).status).toBe(200);
  });
});
