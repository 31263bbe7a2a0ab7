-- The sandbox gateway's own tables: the PCI boundary. Only src/gateway-sandbox
-- reads or writes them; nothing outside it joins to them. The PAN exists only
-- as AES-256-GCM ciphertext; the CVC is checked for shape and never stored
-- (PCI DSS 3.2: no sensitive authentication data after authorisation).

CREATE TABLE gateway_tokens (
  id             text PRIMARY KEY,              -- tok_…
  pan_ciphertext text NOT NULL,                 -- seal(deriveKey(gateway secret, 'gateway-pan'), PAN)
  fingerprint    text NOT NULL,                 -- HMAC of the PAN under a gateway key: stable per card, not reversible
  brand          text NOT NULL,
  last4          text NOT NULL CHECK (last4 ~ '^[0-9]{4}$'),
  exp_month      integer NOT NULL CHECK (exp_month BETWEEN 1 AND 12),
  exp_year       integer NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  consumed_at    timestamptz                    -- single use: set when a payment method is made from it
);

CREATE TABLE gateway_payment_methods (
  id              text PRIMARY KEY,             -- pm_…
  token_id        text NOT NULL UNIQUE REFERENCES gateway_tokens (id), -- one token, one payment method
  idempotency_key text NOT NULL UNIQUE,
  fingerprint     text NOT NULL,
  brand           text NOT NULL,
  last4           text NOT NULL,
  exp_month       integer NOT NULL,
  exp_year        integer NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX gateway_payment_methods_fingerprint ON gateway_payment_methods (fingerprint);

CREATE TABLE gateway_charges (
  id                text PRIMARY KEY,           -- ch_…
  idempotency_key   text NOT NULL UNIQUE,       -- a retried request can never charge twice
  payment_method_id text NOT NULL REFERENCES gateway_payment_methods (id),
  amount            bigint NOT NULL CHECK (amount >= 0),
  currency          text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  kind              text NOT NULL CHECK (kind IN ('charge', 'authorization')),
  captured          boolean NOT NULL,
  status            text NOT NULL CHECK (status IN ('succeeded', 'failed')),
  decline_code      text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'failed') = (decline_code IS NOT NULL)),
  CHECK (NOT captured OR (kind = 'charge' AND status = 'succeeded'))
);
CREATE INDEX gateway_charges_payment_method ON gateway_charges (payment_method_id);

CREATE TABLE gateway_refunds (
  id              text PRIMARY KEY,             -- re_…
  idempotency_key text NOT NULL UNIQUE,
  charge_id       text NOT NULL UNIQUE REFERENCES gateway_charges (id), -- full refunds only: one per charge
  amount          bigint NOT NULL CHECK (amount >= 0),
  currency        text NOT NULL,
  status          text NOT NULL CHECK (status IN ('succeeded')),
  created_at      timestamptz NOT NULL DEFAULT now()
);

-- Same shape as idempotency_keys (001), so registerIdempotency serves the gateway's own endpoint.
CREATE TABLE gateway_idempotency_keys (
  scope          text NOT NULL,
  key            text NOT NULL,
  request_hash   text NOT NULL,
  state          text NOT NULL CHECK (state IN ('in_progress', 'done')),
  response_status integer,
  response_body  jsonb,
  created_at     timestamptz NOT NULL DEFAULT now(),
  expires_at     timestamptz NOT NULL,
  PRIMARY KEY (scope, key)
);
CREATE INDEX gateway_idempotency_keys_expires_at ON gateway_idempotency_keys (expires_at);
