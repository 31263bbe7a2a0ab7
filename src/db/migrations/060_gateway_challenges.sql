-- 3-D Secure in the sandbox gateway. A customer-present charge of a card that
-- needs authentication first opens a challenge, keyed like the charge: nothing
-- is charged while it is pending. The cardholder answers it on the gateway's
-- own origin; the merchant's next call with the same key confirms it and only
-- then writes the one gateway_charges row (succeeded, or failed with the
-- issuer's final decline code).
CREATE TABLE gateway_challenges (
  id                text PRIMARY KEY,           -- chl_…
  idempotency_key   text NOT NULL UNIQUE,       -- the charge's key: one challenge per attempted charge
  payment_method_id text NOT NULL REFERENCES gateway_payment_methods (id),
  amount            bigint NOT NULL CHECK (amount >= 0),
  currency          text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  kind              text NOT NULL CHECK (kind IN ('charge', 'authorization')),
  status            text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
  created_at        timestamptz NOT NULL DEFAULT now(),
  completed_at      timestamptz,
  CHECK ((status = 'pending') = (completed_at IS NULL))
);

-- A card authenticated once (a passed challenge) is set up for later
-- merchant-initiated charges, as with Stripe's saved cards.
ALTER TABLE gateway_payment_methods ADD COLUMN authenticated_at timestamptz;
