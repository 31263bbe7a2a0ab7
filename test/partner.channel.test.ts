import { hmac } from '../src/kernel/crypto.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { completionCounts, EXACTLY_ONE } from './helpers/counts.js';
import { call, profile, tokenize } from './helpers/flow.js';

const AUTH = { authorization: 'Bearer partner-test-key' };

describe('partner channel: one server-to-server call through the same governed flow', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const body = async (ref: string, email: string, extra: Record<string, unknown> = {}, card?: string) => ({
    external_ref: ref,
    email_verified: true,
    profile: profile(email),
    plan: { plan_id: 'pro', interval: 'year', currency: 'USD' },
    payment_method: { token: await tokenize(t.app, card) },
    ...extra,
  });

  it('refuses a caller without a valid partner key, before looking at the body', async () => {
    expect((await call(t.app, 'POST', '/v1/channels/partner/enrollments', { nonsense: true })).body.code).toBe('auth_required');
    const wrong = await call(t.app, 'POST', '/v1/channels/partner/enrollments', { nonsense: true }, { authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
  });

  it('completes an enrollment in one call, through the same steps and audit as the web', async () => {
    const res = await call(t.app, 'POST', '/v1/channels/partner/enrollments', await body('order-1', 'p1@example.com'), AUTH);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'completed', subscription: { status: 'trialing' } });
    expect(await completionCounts(t.db, res.body.enrollment_id)).toEqual(EXACTLY_ONE);
    const { rows } = await t.db.query('SELECT action, channel, actor_type, actor_id FROM audit_events WHERE subject_id = $1 ORDER BY occurred_at, id', [res.body.enrollment_id]);
    // risk.assessed is written in the same statement as profile_submitted (same timestamp, so no stable order between them).
    expect(rows.filter((r) => r.action === 'risk.assessed')).toHaveLength(1);
    // The plan's trial needs no card (payment_skipped), and the partner gives one anyway: it is kept.
    expect(rows.map((r) => r.action).filter((a) => a !== 'risk.assessed')).toEqual([
      'enrollment.started', 'enrollment.profile_submitted', 'enrollment.email_attested', 'enrollment.plan_selected', 'enrollment.payment_skipped', 'enrollment.payment_method_attached', 'enrollment.completed',
    ]);
    expect(rows.every((r) => r.channel === 'partner' && r.actor_type === 'partner' && r.actor_id === 'acme')).toBe(true);
  });

  it('external_ref makes retries safe: the same order returns the same enrollment and creates nothing twice', async () => {
    const first = await call(t.app, 'POST', '/v1/channels/partner/enrollments', await body('order-2', 'p2@example.com'), AUTH);
    const retry = await call(t.app, 'POST', '/v1/channels/partner/enrollments', await body('order-2', 'p2@example.com'), AUTH);
    expect(retry.status).toBe(200);
    expect(retry.body.customer_id).toBe(first.body.customer_id);
    expect(await completionCounts(t.db, first.body.enrollment_id)).toEqual(EXACTLY_ONE);
    const other = await call(t.app, 'POST', '/v1/channels/partner/enrollments', await body('order-2', 'someone-else@example.com'), AUTH);
    expect(other.body.code).toBe('channel_external_ref_conflict');
  });

  it('a declined card can be retried under the same external_ref with another card', async () => {
    const declined = await call(t.app, 'POST', '/v1/channels/partner/enrollments', await body('order-3', 'p3@example.com', {}, '4000000000000002'), AUTH);
    expect(declined.status).toBe(402);
    expect(declined.body).toMatchObject({ code: 'payment_card_declined', decline_code: 'generic_decline' });
    expect((await t.db.query(`SELECT count(*)::int AS n FROM customers WHERE email_hash = $1`, [hmac(t.deps.keys.lookup, 'p3@example.com')])).rows[0].n).toBe(0);
    const ok = await call(t.app, 'POST', '/v1/channels/partner/enrollments', await body('order-3', 'p3@example.com'), AUTH);
    expect(ok.status).toBe(200);
  });

  it('a retry after a processing error charges the new card, not the old one', async () => {
    const first = await call(t.app, 'POST', '/v1/channels/partner/enrollments', await body('order-6', 'p6@example.com', {}, '4000000000000119'), AUTH);
    expect(first.body.code).toBe('payment_processing_error');
    const retry = await call(t.app, 'POST', '/v1/channels/partner/enrollments', await body('order-6', 'p6@example.com'), AUTH);
    expect(retry.status).toBe(200);
    const { rows } = await t.db.query(`SELECT brand, last4 FROM gateway_payment_methods WHERE id = (SELECT payment_method_id FROM subscriptions WHERE enrollment_id = $1)`, [retry.body.enrollment_id]);
    expect(rows[0].last4).toBe('4242');
  });

  it('without an attested email the partner is told to verify first (policy, not a channel branch)', async () => {
    const res = await call(t.app, 'POST', '/v1/channels/partner/enrollments', await body('order-4', 'p4@example.com', { email_verified: false }), AUTH);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('channel_email_verification_required');
  });

  it('validates the partner payload with field codes', async () => {
    const res = await call(t.app, 'POST', '/v1/channels/partner/enrollments', { ...(await body('order-5', 'bad')), plan: { plan_id: 'pro', interval: 'week', currency: 'USD' } }, AUTH);
    expect(res.status).toBe(422);
    expect(res.body.fields).toMatchObject({ 'profile.email': ['invalid_format'], 'plan.interval': ['invalid_value'] });
  });
});
