-- Coupons: a percentage or a fixed amount per currency, for once, N months or
-- forever, within a validity window, for some or all plans and intervals, up to
-- a number of redemptions. `redeemed` is taken atomically at completion (and a
-- CHECK keeps it within the limit whatever the code does).
CREATE TABLE coupons (
  code            text PRIMARY KEY CHECK (code ~ '^[A-Z0-9_-]{3,32}$'),
  percent_off     integer CHECK (percent_off BETWEEN 1 AND 100),
  amount_off      jsonb,                       -- {"EUR": 500, "JPY": 500}: minor units, never converted
  duration        text NOT NULL CHECK (duration IN ('once', 'repeating', 'forever')),
  duration_months integer CHECK (duration_months > 0),
  plans           text[] NOT NULL DEFAULT '{}',
  intervals       text[] NOT NULL DEFAULT '{}',
  valid_from      timestamptz,
  valid_until     timestamptz,
  max_redemptions integer CHECK (max_redemptions > 0),
  redeemed        integer NOT NULL DEFAULT 0 CHECK (redeemed >= 0 AND (max_redemptions IS NULL OR redeemed <= max_redemptions)),
  created_at      timestamptz NOT NULL DEFAULT now(),
  CHECK ((percent_off IS NULL) <> (amount_off IS NULL)),
  CHECK ((duration = 'repeating') = (duration_months IS NOT NULL))
);

CREATE TABLE coupon_redemptions (
  id              text PRIMARY KEY,
  coupon_code     text NOT NULL REFERENCES coupons (code),
  enrollment_id   text NOT NULL REFERENCES enrollments (id),
  customer_id     text NOT NULL REFERENCES customers (id),
  subscription_id text NOT NULL REFERENCES subscriptions (id),
  amount_off      bigint NOT NULL CHECK (amount_off >= 0),
  currency        text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (coupon_code, enrollment_id)
);

-- The discount a subscription was sold with, for renewals to apply for its duration.
ALTER TABLE subscriptions ADD COLUMN discount jsonb;
