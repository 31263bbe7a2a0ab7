-- A previewed plan change: the exact amounts shown (proration credit and
-- charge, amount due now), signed and stored, so /change applies what the
-- customer saw or nothing. It also pins the subscription state it was computed
-- from; a change applied since makes it stale.
CREATE TABLE subscription_changes (
  id               text PRIMARY KEY,                       -- chg_…
  subscription_id  text NOT NULL REFERENCES subscriptions (id),
  quote_id         text NOT NULL REFERENCES quotes (id),   -- the new plan's full price, signed
  direction        text NOT NULL CHECK (direction IN ('upgrade', 'downgrade', 'interval_change')),
  effective        text NOT NULL CHECK (effective IN ('immediate', 'period_end')),
  effective_at     timestamptz NOT NULL,
  from_plan_id     text NOT NULL,
  from_interval    text NOT NULL,
  from_period_end  timestamptz NOT NULL,
  proration_credit bigint NOT NULL CHECK (proration_credit >= 0),
  proration_charge bigint NOT NULL CHECK (proration_charge >= 0),
  amount_due       bigint NOT NULL CHECK (amount_due >= 0),
  currency         text NOT NULL,
  signature        text NOT NULL,
  expires_at       timestamptz NOT NULL,
  applied_at       timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX subscription_changes_subscription ON subscription_changes (subscription_id, created_at);
