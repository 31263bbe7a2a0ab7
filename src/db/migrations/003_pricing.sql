-- Price-locked quotes: every price shown for a selection is stored, signed
-- (HMAC over the priced fields) and charged exactly at completion.

CREATE TABLE quotes (
  id              text PRIMARY KEY,
  enrollment_id   text NOT NULL REFERENCES enrollments (id),
  plan_id         text NOT NULL,
  interval        text NOT NULL CHECK (interval IN ('month', 'year')),
  currency        text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  amount          bigint NOT NULL CHECK (amount >= 0),
  trial_days      integer NOT NULL CHECK (trial_days >= 0),
  catalog_version text NOT NULL,
  locale          text NOT NULL DEFAULT 'en',
  lines           jsonb NOT NULL,
  signature       text NOT NULL,
  expires_at      timestamptz NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  CHECK (expires_at > created_at)
);
CREATE INDEX quotes_enrollment ON quotes (enrollment_id, created_at);

-- A quote is an offer already shown to a customer: it is never edited, only
-- superseded by a new one. (DELETE stays possible for enrollment purges.)
CREATE FUNCTION quotes_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'quotes are immutable; create a new quote';
END $$;
CREATE TRIGGER quotes_no_update BEFORE UPDATE ON quotes
  FOR EACH ROW EXECUTE FUNCTION quotes_immutable();
