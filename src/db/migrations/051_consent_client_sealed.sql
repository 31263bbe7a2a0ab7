-- Issue 6 part 2: the IP address and user agent of a consent event are personal data, so the ledger keeps them
-- sealed under the person's own vault key (the enrollment that first collected their data) instead of in
-- clear. Erasure then shreds them with the rest, while the append-only row (purpose, basis, version, text
-- hash, time) stays as the proof that consent was given. `client_subject` names the key, not the person.
ALTER TABLE consent_records
  ADD COLUMN client_sealed text,
  ADD COLUMN client_subject text,
  DROP COLUMN ip,
  DROP COLUMN user_agent;
