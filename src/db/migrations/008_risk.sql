-- Risk engine (issue 3, part 6). The decision lives with the enrollment; every
-- assessment is also an audit event (risk.assessed) with its reasons.

-- { score, decision, reasons, stages, ip_country, review? }: codes and scores only, no contact data.
ALTER TABLE enrollments ADD COLUMN risk jsonb;

-- What velocity and trial-abuse rules count: this enrollment used this IP / email key / device / card at this
-- time. Values are keyed HMACs (APP_SECRET, purpose 'lookup'), never the IP, address, device id or card itself.
CREATE TABLE risk_signals (
  enrollment_id text NOT NULL REFERENCES enrollments (id),
  kind          text NOT NULL CHECK (kind IN ('ip', 'email', 'device', 'card')),
  value_hash    text NOT NULL,
  occurred_at   timestamptz NOT NULL,
  PRIMARY KEY (enrollment_id, kind, value_hash)
);
-- Sliding-window counts: the newest rows of one value.
CREATE INDEX risk_signals_value ON risk_signals (kind, value_hash, occurred_at);

-- The sandbox gateway reports the card's issuing country, as Stripe's card.country does; it feeds the
-- card-vs-IP/phone country rules. Null for rows made before this migration.
ALTER TABLE gateway_tokens ADD COLUMN country text;
ALTER TABLE gateway_payment_methods ADD COLUMN country text;
