-- 3-D Secure challenges expire (PAYMENT_CHALLENGE_TTL_MINUTES): a cardholder who
-- walks away leaves no challenge that can still be approved hours later. The
-- deadline is fixed when the challenge opens, so a changed setting never
-- reopens or cuts short one already shown. A pending challenge past its
-- deadline becomes 'expired' when the merchant's next call with its key finds
-- it so; that call writes the one failed charge row (authentication_expired).
ALTER TABLE gateway_challenges ADD COLUMN expires_at timestamptz;
UPDATE gateway_challenges SET expires_at = created_at + interval '15 minutes';
ALTER TABLE gateway_challenges ALTER COLUMN expires_at SET NOT NULL;
ALTER TABLE gateway_challenges DROP CONSTRAINT gateway_challenges_status_check;
ALTER TABLE gateway_challenges ADD CONSTRAINT gateway_challenges_status_check CHECK (status IN ('pending', 'succeeded', 'failed', 'expired'));
-- The retention purge finds old challenges by their deadline.
CREATE INDEX gateway_challenges_expires_at ON gateway_challenges (expires_at);
