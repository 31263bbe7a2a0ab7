import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { call, enrollUpToPayment, profile, readCode, tokenize } from './helpers/flow.js';

describe('the web enrollment flow, end to end', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('lists plans with prices in minor units', async () => {
    const { status, body } = await call(t.app, 'GET', '/v1/plans?currency=EUR&locale=de-DE');
    expect(status).toBe(200);
    expect(body.plans.length).toBeGreaterThanOrEqual(3);
    for (const p of body.plans) {
      expect(p.prices.every((x: any) => x.currency === 'EUR' && Number.isInteger(x.amount))).toBe(true);
    }
    expect(body.plans.some((p: any) => p.trial_days === 14)).toBe(true);
  });

  it('walks from start to an active subscription, then signs the owner in from the welcome email', async () => {
    const start = await call(t.app, 'POST', '/v1/enrollments', { locale: 'de-DE', country: 'DE', currency: 'EUR' });
    expect(start.status).toBe(201);
    expect(start.body).toMatchObject({ status: 'started', next: ['profile'], steps: { profile: 'pending' } });
    expect(start.body.consents_required.filter((c: any) => c.required).map((c: any) => c.purpose).sort()).toEqual(['privacy', 'terms']);
    const id = start.body.id;

    const prof = await call(t.app, 'PUT', `/v1/enrollments/${id}/profile`, profile('anna@example.com', { phone: '030 1234567' }));
    expect(prof.status).toBe(200);
    expect(prof.body).toMatchObject({ status: 'profile_completed', next: ['profile', 'verification'], profile: { phone: '+49301234567' } });

    expect((await call(t.app, 'POST', `/v1/enrollments/${id}/verification`, { channel: 'email' })).status).toBe(202);
    const code = await readCode(t.app, t.deps, 'anna@example.com');
    const confirmed = await call(t.app, 'POST', `/v1/enrollments/${id}/verification/confirm`, { code });
    expect(confirmed.body).toMatchObject({ status: 'verified', steps: { verification: 'complete' } });

    const plan = await call(t.app, 'PUT', `/v1/enrollments/${id}/plan`, { plan_id: 'starter', interval: 'month', currency: 'EUR' });
    expect(plan.status).toBe(200);
    expect(plan.body.quote).toMatchObject({ currency: 'EUR', interval: 'month', trial_days: 0 });
    const token = await tokenize(t.app);
    const pm = await call(t.app, 'PUT', `/v1/enrollments/${id}/payment-method`, { token });
    expect(pm.body).toMatchObject({ status: 'payment_attached', payment_method: { brand: 'visa', last4: '4242' } });

    const done = await call(t.app, 'POST', `/v1/enrollments/${id}/complete`);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'completed', subscription: { status: 'active' } });
    expect(done.body.customer_id).toMatch(/^cus_/);
    expect(done.body.tenant_id).toMatch(/^ten_/);
    const charged = await t.db.query<{ amount: number; currency: string }>(`SELECT amount, currency FROM gateway_charges WHERE status = 'succeeded'`);
    expect(charged.rows).toEqual([{ amount: plan.body.quote.amount, currency: 'EUR' }]);

    const shown = await call(t.app, 'GET', `/v1/enrollments/${id}`);
    expect(shown.body).toMatchObject({ status: 'completed', next: [], steps: { complete: 'complete' }, profile: null, consents: [] });
    expect(shown.body.result).toMatchObject({ customer_id: done.body.customer_id, tenant_id: done.body.tenant_id });

    // The welcome email carries a one-time dashboard link.
    await t.deps.worker.drain();
    const mail = await call(t.app, 'GET', '/dev/mailbox?to=anna@example.com');
    const welcome = mail.body.messages[mail.body.messages.length - 1];
    const link = /\/app\?token=([\w-]+)/.exec(welcome.text)![1];
    const signin = await t.app.inject({ method: 'GET', url: `/app?token=${link}` });
    expect(signin.statusCode).toBe(303);
    const cookie = String(signin.headers['set-cookie']).split(';')[0];
    const page = await t.app.inject({ method: 'GET', url: '/app', headers: { cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(done.body.tenant_id);
    const tenant = await call(t.app, 'GET', `/v1/tenants/${done.body.tenant_id}`, undefined, { cookie });
    expect(tenant.body).toMatchObject({ id: done.body.tenant_id });
    expect(tenant.status).toBe(200);
    expect(tenant.body.members).toEqual([expect.objectContaining({ customer_id: done.body.customer_id, roles: ['owner'] })]);
    expect(tenant.body.roles.map((r: any) => r.name).sort()).toEqual(['admin', 'billing', 'member', 'owner']);
    // The link is single-use.
    const again = await t.app.inject({ method: 'GET', url: `/app?token=${link}` });
    expect(again.json().code).toBe('dashboard_link_invalid');
  });

  it('starts a trial for a plan with a trial, authorising the quoted amount without capturing it', async () => {
    const { id, quote } = await enrollUpToPayment(t.app, t.deps, 'trial@example.com', { plan: 'pro' });
    expect(quote.trial_days).toBe(14);
    const done = await call(t.app, 'POST', `/v1/enrollments/${id}/complete`);
    expect(done.body.subscription.status).toBe('trialing');
    const days = (Date.parse(done.body.subscription.current_period_end) - Date.parse(done.body.subscription.current_period_start)) / 86_400_000;
    expect(days).toBe(14);
    const pay = await t.db.query(
      `SELECT p.kind, p.amount, p.status, i.total, i.amount_paid FROM payments p JOIN invoices i ON i.id = p.invoice_id WHERE i.subscription_id = $1`,
      [done.body.subscription.id],
    );
    expect(pay.rows).toEqual([{ kind: 'authorization', amount: quote.amount, status: 'voided', total: 0, amount_paid: 0 }]);
    const charged = await t.db.query(`SELECT captured FROM gateway_charges WHERE id = (SELECT gateway_reference FROM payments WHERE invoice_id = $1)`, [done.body.invoice.id]);
    expect(charged.rows).toEqual([{ captured: false }]);
  });

  it('refuses out-of-order steps with the allowed next steps', async () => {
    const start = await call(t.app, 'POST', '/v1/enrollments', {});
    const res = await call(t.app, 'PUT', `/v1/enrollments/${start.body.id}/plan`, { plan_id: 'starter', interval: 'month', currency: 'EUR' });
    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ code: 'enrollment_invalid_transition', allowed: ['profile'], state: 'started' });
    expect(res.body.request_id).toBeTruthy();
  });

  it('gives field-level codes for a bad profile', async () => {
    const start = await call(t.app, 'POST', '/v1/enrollments', {});
    const res = await call(t.app, 'PUT', `/v1/enrollments/${start.body.id}/profile`, {
      ...profile('not-an-email'),
      phone: '12',
      country: 'XX',
      given_name: '',
    });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('request_validation_failed');
    expect(res.body.fields).toMatchObject({ email: ['invalid_format'], phone: ['invalid_phone'], country: ['unknown_country'], given_name: ['too_short'] });
  });

  it('requires the terms and privacy consents at their current versions', async () => {
    const start = await call(t.app, 'POST', '/v1/enrollments', {});
    const res = await call(t.app, 'PUT', `/v1/enrollments/${start.body.id}/profile`, {
      ...profile('c@example.com'),
      consents: [{ purpose: 'terms', granted: true, policy_version: '2020-01-01' }],
    });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'enrollment_consent_required', fields: { 'consents.terms': ['policy_version_outdated'], 'consents.privacy': ['required'] } });
  });

  it('answers 404 with a problem for an unknown enrollment', async () => {
    const res = await call(t.app, 'GET', '/v1/enrollments/enr_00000000000000000000000000');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('enrollment_not_found');
  });
});
