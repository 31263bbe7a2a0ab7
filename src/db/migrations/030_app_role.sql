-- The application's database role (issue 6, part 7). It is no superuser and has no BYPASSRLS,
-- so row-level security binds it; the app switches to it in every transaction (src/db/scope.ts).
-- Roles are cluster-global while migrations run per database: many test databases migrate at
-- once in one cluster, so two of them can race to create it. The loser's CREATE waits on the
-- catalogue's unique index and fails; that failure is swallowed here, in a subtransaction.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'enroll_app') THEN
    BEGIN
      CREATE ROLE enroll_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL;
    END;
  END IF;
END $$;

GRANT USAGE ON SCHEMA public TO enroll_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO enroll_app;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO enroll_app;
-- Tables of later migrations (every module adds its own) get the same grants without each
-- migration having to remember; the sensitive ones revoke explicitly, as below.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO enroll_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO enroll_app;

-- Append-only by privilege, not only by trigger: the app role may add audit rows, never rewrite them.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM enroll_app;
-- Migrations are the owner's business; the app only reads the version (healthz).
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migrations FROM enroll_app;
