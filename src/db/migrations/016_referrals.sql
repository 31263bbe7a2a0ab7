-- Referrals: every customer can share one code; a new customer who enrolls with
-- it gets a discount, and the referrer earns account credit (up to a cap).
CREATE TABLE referral_codes (
  code        text PRIMARY KEY CHECK (code ~ '^REF-[0-9A-Z]{8}$'),
  customer_id text NOT NULL UNIQUE REFERENCES customers (id),
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE referrals (
  id                    text PRIMARY KEY,
  code                  text NOT NULL REFERENCES referral_codes (code),
  referrer_customer_id  text NOT NULL REFERENCES customers (id),
  referee_enrollment_id text NOT NULL UNIQUE REFERENCES enrollments (id),   -- one referral per new customer
  referee_customer_id   text NOT NULL REFERENCES customers (id),
  referee_discount      bigint NOT NULL CHECK (referee_discount >= 0),
  currency              text NOT NULL,
  rewarded              boolean NOT NULL,
  created_at            timestamptz NOT NULL DEFAULT now(),
  CHECK (referrer_customer_id <> referee_customer_id)
);
CREATE INDEX referrals_referrer ON referrals (referrer_customer_id);

-- Account credit as a ledger: the balance is the sum; entries are never edited.
CREATE TABLE customer_credits (
  id          text PRIMARY KEY,
  customer_id text NOT NULL REFERENCES customers (id),
  amount      bigint NOT NULL,
  currency    text NOT NULL,
  reason      text NOT NULL,
  reference   text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (reason, reference)
);
CREATE INDEX customer_credits_customer ON customer_credits (customer_id);
