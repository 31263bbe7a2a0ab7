-- SMS one-time codes: an SMS delivery is recorded like an email, so a retried
-- job does not text twice. verification_codes.channel has no CHECK; it already takes 'sms'.
ALTER TABLE notifications_sent DROP CONSTRAINT notifications_sent_channel_check;
ALTER TABLE notifications_sent ADD CONSTRAINT notifications_sent_channel_check CHECK (channel IN ('email', 'sms'));
