-- Erasure reaches the sandbox gateway's customers too: a deleted customer takes no new card and no charge.
ALTER TABLE gateway_customers ADD COLUMN deleted_at timestamptz;
