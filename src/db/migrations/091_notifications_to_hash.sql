-- Finding what was sent to a person by the keyed hash of their address: their data export, the
-- deliveries check, and erasure (which has the SMS provider delete those texts). notifications_sent
-- is kept for two years, so these lookups must not scan it.
CREATE INDEX notifications_sent_to_hash ON notifications_sent (to_hash);
