-- Renewals are anchored: every period end is the anchor plus a whole number of
-- intervals (clamped to the month's last day), so Jan 31 renews Feb 28, then
-- Mar 31, never drifting to the 28th.
ALTER TABLE subscriptions ADD COLUMN billing_anchor timestamptz;
UPDATE subscriptions SET billing_anchor = current_period_start WHERE billing_anchor IS NULL;
