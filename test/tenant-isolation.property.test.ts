import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { call } from './helpers/flow.js';
import { signedInOwner } from './helpers/owner.js';

/**
 * Over random (actor, target) pairs through the API: a tenant-scoped route answers a customer
 * only for their own tenant, and the admin key for any; nobody else learns anything.
 */
describe('tenant isolation through the API (property)', () => {
  let t: TestApp;
  let owners: Awaited<ReturnType<typeof signedInOwner>>[];
  beforeAll(async () => {
    t = await createTestApp();
    owners = [];
    for (const n of [1, 2, 3]) owners.push(await signedInOwner(t, `prop-${n}@example.com`));
  });
  afterAll(() => t.close());

  it('GET /v1/tenants/{id} and GET /v1/audit/verify?tenant_id= answer only for the owner (or the admin)', async () => {
    const actor = fc.oneof(fc.constantFrom(0, 1, 2).map((i) => ({ kind: 'owner' as const, i })), fc.constant({ kind: 'admin' as const }), fc.constant({ kind: 'anonymous' as const }));
    const target = fc.oneof(fc.constantFrom(0, 1, 2).map((i) => ({ i, id: '' })), fc.stringMatching(/^ten_[0-9a-z]{26}$/).map((id) => ({ i: -1, id })));
    await fc.assert(
      fc.asyncProperty(actor, target, async (who, to) => {
        const tenantId = to.i >= 0 ? owners[to.i]!.tenantId : to.id;
        const headers: Record<string, string> = who.kind === 'admin' ? { authorization: 'Bearer admin-test-key' } : who.kind === 'owner' ? { cookie: owners[who.i]!.cookie } : {};
        const own = who.kind === 'owner' && who.i === to.i;
        const exists = to.i >= 0;
        const tenant = await call(t.app, 'GET', `/v1/tenants/${tenantId}`, undefined, headers);
        const verify = await call(t.app, 'GET', `/v1/audit/verify?tenant_id=${tenantId}`, undefined, headers);
        if (who.kind === 'anonymous') {
          expect([tenant.status, verify.status]).toEqual([401, 401]);
        } else if (who.kind === 'admin') {
          expect(tenant.status).toBe(exists ? 200 : 404);
          expect(verify.status).toBe(200);
          expect(verify.body.ok).toBe(true);
        } else if (own) {
          expect(tenant.status).toBe(200);
          expect(tenant.body.id).toBe(tenantId);
          expect(tenant.body.members.map((m: { customer_id: string }) => m.customer_id)).toEqual([owners[who.i]!.customerId]);
          expect(verify.status).toBe(200);
          expect(verify.body).toMatchObject({ ok: true });
          expect(verify.body.events).toBeGreaterThan(0);
        } else {
          expect(tenant.status).toBe(404);
          expect(tenant.body.code).toBe('tenant_not_found');
          expect(verify.status).toBe(403);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('GET /v1/me shows each owner their own workspace and subscription, read in their tenant scope', async () => {
    for (const o of owners) {
      const me = await call(t.app, 'GET', '/v1/me', undefined, { cookie: o.cookie });
      expect(me.status).toBe(200);
      expect(me.body.tenant.id).toBe(o.tenantId);
      expect(me.body.tenant.members.map((m: { customer_id: string }) => m.customer_id)).toEqual([o.customerId]);
      expect(me.body.subscriptions.map((s: { id: string }) => s.id)).toEqual([o.subscriptionId]);
      expect(me.body.subscriptions[0].payment_method).toMatchObject({ last4: expect.any(String) });
    }
  });
});
