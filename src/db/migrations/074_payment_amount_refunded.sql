-- How much of a payment the gateway has given back, in its minor units (issue 5, partial refunds). Stripe reports
-- a charge's cumulative amount_refunded; a partial refund leaves the payment `succeeded` (money was kept), so the
-- status alone could not tell reconciliation what was returned. Only ever raised (webhook and reconciliation both
-- take the larger value), so late or repeated reports cannot lower it.
ALTER TABLE payments ADD COLUMN amount_refunded bigint NOT NULL DEFAULT 0 CHECK (amount_refunded >= 0);
-- A payment already marked refunded was refunded in full (partial refunds were not recorded before).
UPDATE payments SET amount_refunded = amount WHERE status = 'refunded';
