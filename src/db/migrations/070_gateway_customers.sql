-- Issue 5 part 2: the sandbox gateway's customers, and saved methods attached to them (as on Stripe). A method
-- charged off-session must be attached to the customer given with the charge; the sandbox enforces it like Stripe.
CREATE TABLE gateway_customers (
  id              text PRIMARY KEY,             -- cus_…
  idempotency_key text NOT NULL UNIQUE,         -- the same key is the same customer, however many racers
  reference       text NOT NULL,                -- the caller's persisted id (metadata on Stripe)
  created_at      timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE gateway_payment_methods ADD COLUMN customer_id text REFERENCES gateway_customers (id);

-- Enroll's side: one Enroll customer ↔ one gateway customer per tenant and gateway, and which saved methods are
-- attached to it. Written in the completion transaction (or lazily before the first off-session charge).
CREATE TABLE payment_customers (
  gateway             text NOT NULL,
  tenant_id           text NOT NULL REFERENCES tenants (id),
  customer_id         text NOT NULL REFERENCES customers (id),
  gateway_customer_id text NOT NULL,
  created_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (gateway, tenant_id, customer_id),
  UNIQUE (gateway, gateway_customer_id)
);

CREATE TABLE payment_method_attachments (
  gateway             text NOT NULL,
  payment_method_id   text NOT NULL,
  gateway_customer_id text NOT NULL,
  attached_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (gateway, payment_method_id)
);
