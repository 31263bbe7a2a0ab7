-- A plan change chosen after enrollment takes effect at the end of the current
-- period (no mid-period proration yet): the signed quote it was priced from and
-- the date it applies are kept with the subscription until renewal applies it.
ALTER TABLE subscriptions ADD COLUMN scheduled_change jsonb;
