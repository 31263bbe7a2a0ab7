-- Tenant isolation (issue 6, part 7) for the tenant tables main added after migration 032:
-- payment_customers (migration 070) holds one tenant's link between its customer and the gateway's.
SELECT enroll_tenant_rls('payment_customers');
