-- Core tables of the enrollment flow. Money is integer minor units + ISO 4217.

CREATE TABLE idempotency_keys (
  scope          text NOT NULL,          -- method + route + principal: keys never collide across callers
  key            text NOT NULL,
  request_hash   text NOT NULL,
  state          text NOT NULL CHECK (state IN ('in_progress', 'done')),
  response_status integer,
  response_body  jsonb,
  created_at     timestamptz NOT NULL DEFAULT now(),
  expires_at     timestamptz NOT NULL,
  PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_expires_at ON idempotency_keys (expires_at);

CREATE TABLE enrollments (
  id            text PRIMARY KEY,
  channel       text NOT NULL,
  state         text NOT NULL,
  version       integer NOT NULL DEFAULT 1,
  locale        text NOT NULL,
  country       text,
  currency      text,
  profile       jsonb,                   -- given/family name, email, phone, country
  email_normalized text,
  consents      jsonb NOT NULL DEFAULT '[]',
  quote_id      text,
  payment_method jsonb,                  -- gateway pm id, brand, last4, expiry, fingerprint: never a token or PAN
  result        jsonb,                   -- completion result (customer, tenant, subscription)
  last_decline  jsonb,
  expires_at    timestamptz NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  completed_at  timestamptz
);

CREATE TABLE enrollment_transitions (
  id            bigserial PRIMARY KEY,
  enrollment_id text NOT NULL REFERENCES enrollments (id),
  event         text NOT NULL,
  from_state    text NOT NULL,
  to_state      text NOT NULL,
  version       integer NOT NULL,
  request_id    text,
  occurred_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (enrollment_id, version)
);

CREATE TABLE verification_codes (
  id            text PRIMARY KEY,
  enrollment_id text NOT NULL REFERENCES enrollments (id),
  channel       text NOT NULL,
  destination_hash text NOT NULL,        -- keyed hash of the address the code was sent to
  code_hash     text NOT NULL,           -- HMAC of the code; the code itself is never stored
  attempts      integer NOT NULL DEFAULT 0,
  max_attempts  integer NOT NULL,
  expires_at    timestamptz NOT NULL,
  consumed_at   timestamptz,
  superseded_at timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX verification_codes_enrollment ON verification_codes (enrollment_id, created_at);
CREATE INDEX verification_codes_destination ON verification_codes (destination_hash, created_at);

CREATE TABLE customers (
  id               text PRIMARY KEY,
  email            text NOT NULL,
  email_normalized text NOT NULL UNIQUE, -- one address, one customer, whatever the race
  given_name       text NOT NULL,
  family_name      text NOT NULL,
  phone            text,
  country          text NOT NULL,
  locale           text NOT NULL,
  enrollment_id    text NOT NULL REFERENCES enrollments (id),
  created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tenants (
  id            text PRIMARY KEY,
  name          text NOT NULL,
  owner_customer_id text NOT NULL REFERENCES customers (id),
  enrollment_id text NOT NULL UNIQUE REFERENCES enrollments (id), -- one enrollment, one tenant
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE roles (
  id          text PRIMARY KEY,
  tenant_id   text NOT NULL REFERENCES tenants (id),
  name        text NOT NULL,
  permissions text[] NOT NULL,
  UNIQUE (tenant_id, name)
);

CREATE TABLE memberships (
  id          text PRIMARY KEY,
  tenant_id   text NOT NULL REFERENCES tenants (id),
  customer_id text NOT NULL REFERENCES customers (id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, customer_id)
);

CREATE TABLE membership_roles (
  membership_id text NOT NULL REFERENCES memberships (id),
  role_id       text NOT NULL REFERENCES roles (id),
  tenant_id     text NOT NULL REFERENCES tenants (id),
  PRIMARY KEY (membership_id, role_id)
);

CREATE TABLE subscriptions (
  id              text PRIMARY KEY,
  tenant_id       text NOT NULL REFERENCES tenants (id),
  customer_id     text NOT NULL REFERENCES customers (id),
  enrollment_id   text NOT NULL UNIQUE REFERENCES enrollments (id),
  plan_id         text NOT NULL,
  interval        text NOT NULL CHECK (interval IN ('month', 'year')),
  currency        text NOT NULL,
  amount          bigint NOT NULL CHECK (amount >= 0),
  catalog_version text NOT NULL,
  quote_id        text NOT NULL,
  status          text NOT NULL CHECK (status IN ('trialing', 'active', 'past_due', 'paused', 'canceled')),
  trial_end       timestamptz,
  current_period_start timestamptz NOT NULL,
  current_period_end   timestamptz NOT NULL,
  payment_method_id text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE SEQUENCE invoice_number_seq;

CREATE TABLE invoices (
  id              text PRIMARY KEY,
  tenant_id       text NOT NULL REFERENCES tenants (id),
  subscription_id text NOT NULL REFERENCES subscriptions (id),
  number          text NOT NULL UNIQUE,
  currency        text NOT NULL,
  subtotal        bigint NOT NULL,
  total           bigint NOT NULL,
  amount_paid     bigint NOT NULL,
  status          text NOT NULL CHECK (status IN ('draft', 'open', 'paid', 'void')),
  lines           jsonb NOT NULL,
  period_start    timestamptz NOT NULL,
  period_end      timestamptz NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE payments (
  id               text PRIMARY KEY,
  tenant_id        text NOT NULL REFERENCES tenants (id),
  invoice_id       text NOT NULL REFERENCES invoices (id),
  kind             text NOT NULL CHECK (kind IN ('charge', 'authorization')),
  gateway          text NOT NULL,
  gateway_reference text NOT NULL UNIQUE, -- the gateway's charge id: one charge, one payment row
  amount           bigint NOT NULL,
  currency         text NOT NULL,
  status           text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);

-- Declined and failed attempts, kept for the funnel and for risk; no customer exists yet.
CREATE TABLE payment_attempts (
  id            text PRIMARY KEY,
  enrollment_id text NOT NULL REFERENCES enrollments (id),
  gateway_reference text UNIQUE,          -- one failed gateway charge, one attempt row, however many callers saw it
  amount        bigint NOT NULL,
  currency      text NOT NULL,
  outcome       text NOT NULL,
  decline_code  text,
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE consent_records (
  id             text PRIMARY KEY,
  enrollment_id  text NOT NULL REFERENCES enrollments (id),
  customer_id    text REFERENCES customers (id),
  tenant_id      text REFERENCES tenants (id),
  purpose        text NOT NULL,
  granted        boolean NOT NULL,
  policy_version text NOT NULL,
  channel        text NOT NULL,
  request_id     text,
  recorded_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE channel_refs (
  partner_id    text NOT NULL,
  external_ref  text NOT NULL,
  enrollment_id text NOT NULL REFERENCES enrollments (id),
  request_hash  text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (partner_id, external_ref)
);

CREATE TABLE dashboard_links (
  id          text PRIMARY KEY,
  token_hash  text NOT NULL UNIQUE,
  customer_id text NOT NULL REFERENCES customers (id),
  tenant_id   text NOT NULL REFERENCES tenants (id),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sessions (
  id          text PRIMARY KEY,
  token_hash  text NOT NULL UNIQUE,
  customer_id text NOT NULL REFERENCES customers (id),
  expires_at  timestamptz NOT NULL,
  revoked_at  timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Append-only: the database itself refuses to rewrite history.
CREATE TABLE audit_events (
  id           text PRIMARY KEY,
  occurred_at  timestamptz NOT NULL DEFAULT now(),
  action       text NOT NULL CHECK (action ~ '^[a-z_]+\.[a-z_]+$'),
  actor_type   text NOT NULL,
  actor_id     text,
  channel      text,
  request_id   text,
  subject_type text NOT NULL,
  subject_id   text NOT NULL,
  tenant_id    text,
  data         jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_events_subject ON audit_events (subject_type, subject_id);

CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only';
END $$;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
