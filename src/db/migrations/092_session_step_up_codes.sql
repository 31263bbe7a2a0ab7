-- One-time codes serve a session too: the email step-up for a customer with no stronger factor. The same table,
-- so the same rules hold by construction (keyed hash only, attempt cap counted in the UPDATE, single use,
-- only the newest live, per-destination send cap across owners). A code has exactly one owner, and a session's
-- code goes with the session when an expired session is purged.
ALTER TABLE verification_codes ALTER COLUMN enrollment_id DROP NOT NULL;
ALTER TABLE verification_codes ADD COLUMN session_id text REFERENCES sessions (id) ON DELETE CASCADE;
ALTER TABLE verification_codes ADD CONSTRAINT verification_codes_one_owner CHECK ((enrollment_id IS NULL) <> (session_id IS NULL));
CREATE INDEX verification_codes_session ON verification_codes (session_id, created_at) WHERE session_id IS NOT NULL;
