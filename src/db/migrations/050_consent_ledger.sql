-- Issue 6 part 1: consent_records becomes the consent ledger. One row per event (given or withdrawn), never
-- rewritten; the current state is the newest row per subject and purpose (seq orders them, since a test clock
-- or two events in one millisecond can tie recorded_at).

ALTER TABLE consent_records
  ALTER COLUMN enrollment_id DROP NOT NULL,                  -- a customer's own later events name the customer only
  ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY,
  ADD COLUMN lawful_basis text NOT NULL DEFAULT 'consent'
    CHECK (lawful_basis IN ('consent', 'contract', 'legal_obligation', 'legitimate_interest')),
  ADD COLUMN text_sha256 text CHECK (text_sha256 ~ '^[0-9a-f]{64}$'), -- sha256 of the exact text shown (config/consent-texts.json)
  ADD COLUMN locale text,                                     -- which translation of that text
  ADD COLUMN ip text,
  ADD COLUMN user_agent text,
  ADD CONSTRAINT consent_records_has_subject CHECK (customer_id IS NOT NULL OR enrollment_id IS NOT NULL);
CREATE UNIQUE INDEX consent_records_seq ON consent_records (seq);
CREATE INDEX consent_records_customer ON consent_records (customer_id, purpose, seq) WHERE customer_id IS NOT NULL;
CREATE INDEX consent_records_enrollment ON consent_records (enrollment_id, purpose, seq) WHERE enrollment_id IS NOT NULL;

-- Append-only, enforced by the database whoever connects: no UPDATE ever. The one DELETE allowed is retention's
-- (part 5): evidence that belongs to an enrollment which never became a customer, removed with that enrollment.
-- A customer's consent history is never deleted.
CREATE FUNCTION consent_records_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.customer_id IS NULL
       AND NOT EXISTS (SELECT 1 FROM enrollments e WHERE e.id = OLD.enrollment_id AND e.state = 'completed') THEN
      RETURN OLD;
    END IF;
  END IF;
  RAISE EXCEPTION 'consent_records is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER consent_records_append_only BEFORE UPDATE OR DELETE ON consent_records
  FOR EACH ROW EXECUTE FUNCTION consent_records_append_only();
CREATE TRIGGER consent_records_no_truncate BEFORE TRUNCATE ON consent_records
  FOR EACH STATEMENT EXECUTE FUNCTION consent_records_append_only();
