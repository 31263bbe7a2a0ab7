-- Authenticator-app (TOTP) factors. The secret is sealed (AES-256-GCM, a key
-- derived from APP_SECRET for purpose 'totp'): a database dump alone cannot
-- mint codes. It is never logged, audited or stored anywhere else.

CREATE TABLE totp_factors (
  id                    text PRIMARY KEY,                    -- mfa_…
  enrollment_id         text NOT NULL REFERENCES enrollments (id),
  status                text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'active', 'superseded')),
  secret_sealed         text NOT NULL,                       -- iv.tag.ciphertext of the base32 secret
  algorithm             text NOT NULL DEFAULT 'sha1' CHECK (algorithm IN ('sha1', 'sha256', 'sha512')),
  digits                integer NOT NULL DEFAULT 6 CHECK (digits IN (6, 8)),
  period                integer NOT NULL DEFAULT 30 CHECK (period > 0),
  -- Replay protection: the newest accepted time step; a code for this step or an older one is refused.
  last_step             integer NOT NULL DEFAULT -1,
  -- Guess cap: attempts in the window that began at attempts_window_start (10 minutes).
  attempts              integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  attempts_window_start timestamptz,                         -- null: no attempt yet
  created_at            timestamptz NOT NULL DEFAULT now(),
  activated_at          timestamptz
);
CREATE INDEX totp_factors_enrollment ON totp_factors (enrollment_id, created_at);
-- At most one factor awaiting confirmation per enrollment: a new setup supersedes the old one.
CREATE UNIQUE INDEX totp_factors_one_pending ON totp_factors (enrollment_id) WHERE status = 'pending';
