-- Issue 5 part 5: a trial may start without a card (per plan, trial_card_required); the subscription then has none
-- until the customer adds one in the dashboard.
ALTER TABLE subscriptions ALTER COLUMN payment_method_id DROP NOT NULL;
