-- Optional passwords. Only an Argon2id PHC string is stored (parameters and salt
-- inside it, so a parameter change can be detected and rehashed at sign-in).
-- A passkey-first enrollment simply has no row here.
CREATE TABLE password_credentials (
  enrollment_id   text PRIMARY KEY REFERENCES enrollments (id),
  hash            text NOT NULL CHECK (hash LIKE '$argon2id$%'),
  -- Guess throttling per account: consecutive failures and the end of the current pause.
  failed_attempts integer NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
  locked_until    timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
