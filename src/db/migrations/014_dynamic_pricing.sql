-- Dynamic pricing (issue 4 part 6). A quote keeps how the engine priced it:
-- the list price, the rule version, the declared signals and the visitor's
-- experiment assignments, so the what-if command can replay the same inputs
-- against another rule set. Older quotes have none: they were sold at list.
ALTER TABLE quotes
  ADD COLUMN list_amount   bigint CHECK (list_amount >= 0),
  ADD COLUMN pricing       jsonb;
-- The guardrail "never above list" also holds in the database for new quotes:
-- net is the price tax was applied to, or less (inclusive tax takes it out).
ALTER TABLE quotes ADD CONSTRAINT quotes_not_above_list CHECK (list_amount IS NULL OR net_amount <= list_amount) NOT VALID;

-- Experiment exposures: a visitor saw a variant's prices (surface 'plans') or
-- was quoted under it (surface 'quote'). The plan list logs a visitor once per
-- experiment; each quote logs once.
CREATE TABLE pricing_exposures (
  id            text PRIMARY KEY,
  experiment_id text NOT NULL,
  variant_id    text NOT NULL,
  visitor_id    text NOT NULL,
  surface       text NOT NULL CHECK (surface IN ('plans', 'quote')),
  quote_id      text REFERENCES quotes (id) ON DELETE CASCADE,
  rules_version text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  CHECK ((surface = 'quote') = (quote_id IS NOT NULL))
);
CREATE UNIQUE INDEX pricing_exposures_first_view ON pricing_exposures (experiment_id, visitor_id) WHERE surface = 'plans';
CREATE UNIQUE INDEX pricing_exposures_quote ON pricing_exposures (experiment_id, quote_id) WHERE surface = 'quote';
CREATE INDEX pricing_exposures_by_variant ON pricing_exposures (experiment_id, variant_id, created_at);
