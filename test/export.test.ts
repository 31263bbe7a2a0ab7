import { describe, expect, it } from 'vitest';
import { useClockedTestApp } from './helpers/app.js';
import { signedInCustomer } from './helpers/customer.js';
import { call } from './helpers/flow.js';

const ADMIN = { authorization: 'Bearer admin-test-key' };
const DAY = 86_400_000;

/** Issue 6 part 4: access and portability, `GET /v1/customers/{id}/export`. */
describe('subject export', () => {
  const { clock, t } = useClockedTestApp();

  it('gives the owner and the admin every record about the customer as versioned JSON, in well under two seconds', async () => {
    const c = await signedInCustomer(t.app, t.deps, 'export-me@example.com');
    const other = await signedInCustomer(t.app, t.deps, 'export-other@example.com');
    const url = `/v1/customers/${c.customerId}/export`;
    // Some history: consents changed, GPC, two renewals, a marketing email.
    await call(t.app, 'POST', `/v1/customers/${c.customerId}/consents`, { purpose: 'marketing_email', policy_version: '2026-11-01' }, c.headers);
    await call(t.app, 'POST', `/v1/customers/${c.customerId}/consents`, { purpose: 'data_sharing', policy_version: '2026-11-01' }, c.headers);
    await call(t.app, 'GET', `/v1/tenants/${c.tenantId}`, undefined, { ...c.headers, 'sec-gpc': '1' });
    await call(t.app, 'POST', '/v1/admin/marketing-emails', { campaign: 'export-news' }, ADMIN);
    await t.deps.worker.drain();

    expect((await call(t.app, 'GET', url)).body).toMatchObject({ status: 401, code: 'auth_required' });
    expect((await call(t.app, 'GET', url, undefined, other.headers)).body).toMatchObject({ status: 404, code: 'compliance_customer_not_found' });
    const own = await call(t.app, 'GET', url, undefined, c.headers);
    expect(own.status).toBe(200);
    expect(own.headers['cache-control']).toBe('no-store');
    expect(own.body.subject).toEqual({ type: 'customer', id: c.customerId });

    for (let month = 0; month < 2; month++) {
      clock.advance(32 * DAY);
      await t.deps.worker.drain();
    }
    const started = performance.now();
    const res = await call(t.app, 'GET', url, undefined, ADMIN);
    const ms = performance.now() - started;
    console.log(`export of a customer with ${res.body.audit_events.length} audit events, ${res.body.invoices.length} invoices, ${res.body.consents.ledger.length} consent events, ${res.body.messages.length} messages: ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(2000);
    expect(res.status).toBe(200);
    const x = res.body;
    expect(x).toMatchObject({ format: 'enroll.subject-export', schema_version: 1, subject: { type: 'customer', id: c.customerId } });
    expect(new Date(x.generated_at).getTime()).toBe(clock.now().getTime());
    expect(x.profile).toMatchObject({ id: c.customerId, email: 'export-me@example.com', given_name: 'Anna', family_name: 'Muster', country: 'DE' });
    expect(x.consents.state.find((s: any) => s.purpose === 'marketing_email')).toMatchObject({ granted: true });
    expect(x.consents.state.find((s: any) => s.purpose === 'data_sharing')).toMatchObject({ granted: false, channel: 'gpc' });
    expect(x.consents.ledger.length).toBe(6);
    expect(x.enrollments).toEqual([expect.objectContaining({ id: c.enrollmentId, state: 'completed', profile: expect.objectContaining({ email: 'export-me@example.com' }) })]);
    expect(x.tenants).toEqual([c.tenantId]);
    expect(x.subscriptions).toEqual([expect.objectContaining({ id: c.subscriptionId, tenant_id: c.tenantId, status: 'active' })]);
    expect(x.invoices.length).toBe(3); // the first and two renewals
    expect(x.invoices.every((i: any) => i.subscription_id === c.subscriptionId && typeof i.total === 'number')).toBe(true);
    const actions = new Set(x.audit_events.map((e: any) => e.action));
    for (const a of ['enrollment.profile_submitted', 'customer.created', 'enrollment.completed', 'subscription.created', 'consent.given', 'consent.withdrawn']) expect(actions).toContain(a);
    const templates = x.messages.map((m: any) => m.template).sort();
    expect(templates).toEqual(expect.arrayContaining(['verification-code', 'welcome', 'marketing-news']));
    // Nothing about the other customer.
    expect(JSON.stringify(x)).not.toContain(other.customerId);
    expect(JSON.stringify(x)).not.toContain('export-other@example.com');
  });

  it('is described in the OpenAPI document with its response schema', async () => {
    const doc = (await call(t.app, 'GET', '/openapi.json')).body;
    const op = doc.paths['/v1/customers/{id}/export'].get;
    const schema = op.responses['200'].content['application/json'].schema;
    expect(schema.required).toEqual(expect.arrayContaining(['format', 'schema_version', 'generated_at', 'profile', 'consents', 'enrollments', 'subscriptions', 'invoices', 'audit_events', 'messages']));
    expect(doc.paths['/v1/customers/{id}/consents'].post).toBeDefined();
    expect(doc.paths['/v1/customers/{id}/consents/{purpose}'].delete).toBeDefined();
  });
});
