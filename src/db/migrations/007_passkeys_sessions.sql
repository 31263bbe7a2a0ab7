-- Passkeys (WebAuthn) and hardened dashboard sessions.

-- A WebAuthn challenge is a nonce the authenticator signs. Single use (spent by
-- an UPDATE that also checks expiry), bound to its purpose and, for a
-- registration, to its enrollment: a challenge minted for one ceremony can
-- never complete another.
CREATE TABLE webauthn_challenges (
  id            text PRIMARY KEY,                  -- wch_…
  purpose       text NOT NULL CHECK (purpose IN ('registration', 'authentication', 'step_up')),
  challenge     text NOT NULL UNIQUE,              -- base64url, ≥ 32 random bytes
  enrollment_id text REFERENCES enrollments (id),  -- registration only
  session_id    text REFERENCES sessions (id),     -- step-up only
  expires_at    timestamptz NOT NULL,
  used_at       timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  CHECK ((purpose = 'registration') = (enrollment_id IS NOT NULL)),
  CHECK ((purpose = 'step_up') = (session_id IS NOT NULL))
);
CREATE INDEX webauthn_challenges_expires_at ON webauthn_challenges (expires_at);

-- A public key and its bookkeeping; no biometric ever reaches us, and nothing
-- here is secret (a dump cannot sign in). The owner is the customer created
-- by the enrollment the passkey was registered on.
CREATE TABLE passkey_credentials (
  id            text PRIMARY KEY,                  -- pky_…
  credential_id text NOT NULL UNIQUE,              -- base64url, as the authenticator names it
  public_key    text NOT NULL,                     -- base64url COSE key
  sign_count    bigint NOT NULL DEFAULT 0 CHECK (sign_count >= 0),
  transports    jsonb NOT NULL DEFAULT '[]',
  device_type   text NOT NULL CHECK (device_type IN ('singleDevice', 'multiDevice')),
  backed_up     boolean NOT NULL,
  aaguid        text NOT NULL,
  user_handle   text NOT NULL,                     -- WebAuthn user.id: random, never PII
  enrollment_id text NOT NULL REFERENCES enrollments (id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_used_at  timestamptz
);
CREATE INDEX passkey_credentials_enrollment ON passkey_credentials (enrollment_id);

-- Sessions remember how they were opened and when the owner last proved
-- presence again (step-up), and which session they replaced (rotation).
ALTER TABLE sessions
  ADD COLUMN method text NOT NULL DEFAULT 'dashboard_link',
  ADD COLUMN stepped_up_at timestamptz,
  ADD COLUMN replaces_session_id text REFERENCES sessions (id);
CREATE INDEX sessions_customer ON sessions (customer_id) WHERE revoked_at IS NULL;
