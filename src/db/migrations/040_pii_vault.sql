-- PII vault: personal fields are sealed (AES-256-GCM) with a per-subject data key; the data key is stored
-- only wrapped by a master key (KeyManager). The subject is the enrollment that first collected the person's
-- data; the customer it creates shares its key (customers.enrollment_id). Deleting the row shreds every copy.
CREATE TABLE subject_keys (
  subject_id   text PRIMARY KEY,
  key_version  integer NOT NULL,              -- master key version that wrapped it: rotation rewraps old versions
  wrapped_key  text NOT NULL,                 -- iv.tag.ciphertext of the 32-byte data key
  created_at   timestamptz NOT NULL DEFAULT now(),
  rewrapped_at timestamptz
);
CREATE INDEX subject_keys_version ON subject_keys (key_version);

-- Lookups by address go through a keyed hash (HMAC, APP_SECRET purpose 'lookup'), never the address itself.
-- The clear columns go: no deployment holds data yet, so nothing is migrated; a data dir made before 040
-- loses its profiles (enrollments restart at the profile step, customers must be re-created).
ALTER TABLE enrollments ADD COLUMN profile_sealed text, ADD COLUMN email_hash text;
UPDATE enrollments SET profile = NULL, email_normalized = NULL;
ALTER TABLE enrollments DROP COLUMN profile, DROP COLUMN email_normalized;
CREATE INDEX enrollments_email_hash ON enrollments (email_hash) WHERE email_hash IS NOT NULL;

ALTER TABLE customers ADD COLUMN pii_sealed text, ADD COLUMN email_hash text;
UPDATE customers SET email_hash = 'pre-040:' || id;
ALTER TABLE customers DROP COLUMN email, DROP COLUMN email_normalized, DROP COLUMN given_name, DROP COLUMN family_name, DROP COLUMN phone;
-- Nullable: erasure clears it, so the address may enrol again. Unique: one address, one customer, whatever the race.
CREATE UNIQUE INDEX customers_email_hash ON customers (email_hash);
