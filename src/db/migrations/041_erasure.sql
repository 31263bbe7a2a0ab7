-- Erasure requests (GDPR art. 17, CCPA): tracked with their statutory deadline; the erasure itself runs
-- as an outbox job (erase-customer), so it survives a crash between the request and the shredding.
CREATE TABLE erasure_requests (
  id           text PRIMARY KEY,                 -- era_…
  customer_id  text NOT NULL REFERENCES customers (id),
  regime       text NOT NULL CHECK (regime IN ('gdpr', 'ccpa')),
  status       text NOT NULL CHECK (status IN ('pending', 'completed')),
  requested_by text NOT NULL CHECK (requested_by IN ('admin', 'customer')),
  request_id   text,
  requested_at timestamptz NOT NULL,
  due_at       timestamptz NOT NULL,             -- one month (GDPR art. 12(3)) or 45 days (CCPA § 1798.130)
  completed_at timestamptz,
  result       jsonb                             -- counts only: keys shredded, payment methods deleted, …
);
CREATE UNIQUE INDEX erasure_requests_one_open ON erasure_requests (customer_id) WHERE status = 'pending';
CREATE INDEX erasure_requests_due ON erasure_requests (due_at) WHERE status = 'pending';

ALTER TABLE customers ADD COLUMN erased_at timestamptz;
-- The sandbox gateway forgets a card on erasure: the PAN ciphertext is destroyed, the method can no longer be charged.
ALTER TABLE gateway_payment_methods ADD COLUMN deleted_at timestamptz;
