-- Tax-correct quotes: net, tax and gross (amount) with the rule applied, and
-- the buyer's VAT id. Quotes signed before this migration carry no breakdown;
-- they fail the new signature check and the customer selects the plan again.
ALTER TABLE quotes
  ADD COLUMN net_amount  bigint NOT NULL DEFAULT 0 CHECK (net_amount >= 0),
  ADD COLUMN tax_amount  bigint NOT NULL DEFAULT 0 CHECK (tax_amount >= 0),
  ADD COLUMN tax_rate_bp integer NOT NULL DEFAULT 0 CHECK (tax_rate_bp BETWEEN 0 AND 10000),
  ADD COLUMN tax_mode    text NOT NULL DEFAULT 'exclusive' CHECK (tax_mode IN ('inclusive', 'exclusive', 'reverse_charge')),
  ADD COLUMN tax_country text,
  ADD COLUMN tax_label   text NOT NULL DEFAULT 'tax',
  ADD COLUMN vat_id      text;
-- NOT VALID: enforced for every new quote; older ones have no breakdown to check.
ALTER TABLE quotes ADD CONSTRAINT quotes_tax_adds_up CHECK (net_amount + tax_amount = amount) NOT VALID;

ALTER TABLE invoices
  ADD COLUMN tax_amount bigint NOT NULL DEFAULT 0 CHECK (tax_amount >= 0),
  ADD COLUMN tax jsonb;

-- A published catalogue version is immutable: its content hash is recorded the
-- first time a process serves it, and a later boot with the same version label
-- but other content is refused (bump the version instead).
CREATE TABLE catalog_versions (
  version      text PRIMARY KEY,
  content_hash text NOT NULL,
  published_at timestamptz NOT NULL DEFAULT now()
);
