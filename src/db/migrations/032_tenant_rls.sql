-- Tenant isolation by row-level security (issue 6, part 7). Every table with a tenant_id (and
-- tenants itself, keyed by id) is readable and writable by the app role only for the tenant its
-- transaction declared (app.tenant_id), or under an explicit system scope (app.system, a reason).
-- Both settings are transaction-local (src/db/scope.ts); an unset or empty tenant matches no row.
-- FORCE: the owner is bound too (the superuser still is not: the app never runs as one).

CREATE FUNCTION app_tenant_visible(tenant text) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT tenant = nullif(current_setting('app.tenant_id', true), '')
      OR coalesce(current_setting('app.system', true), '') <> ''
$$;

-- One call per tenant table, here and in later migrations: enable, force, one policy for all commands.
CREATE FUNCTION enroll_tenant_rls(t regclass, col text DEFAULT 'tenant_id') RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', t);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', t);
  EXECUTE format('CREATE POLICY tenant_isolation ON %s USING (app_tenant_visible(%I)) WITH CHECK (app_tenant_visible(%I))', t, col, col);
END $$;

SELECT enroll_tenant_rls('tenants', 'id');
SELECT enroll_tenant_rls('roles');
SELECT enroll_tenant_rls('memberships');
SELECT enroll_tenant_rls('membership_roles');
SELECT enroll_tenant_rls('subscriptions');
SELECT enroll_tenant_rls('invoices');
SELECT enroll_tenant_rls('payments');
SELECT enroll_tenant_rls('dashboard_links');
SELECT enroll_tenant_rls('consent_records');

-- Audit rows and consent records are also written before any tenant exists (tenant_id NULL, the
-- enrollment's own facts): those may be added from any scope; reading them back is system work.
ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_read ON audit_events FOR SELECT USING (app_tenant_visible(tenant_id));
CREATE POLICY tenant_append ON audit_events FOR INSERT WITH CHECK (tenant_id IS NULL OR app_tenant_visible(tenant_id));
CREATE POLICY pre_tenant_append ON consent_records FOR INSERT WITH CHECK (tenant_id IS NULL);
