-- Gateway webhooks: every verified event is stored once (its id is the key,
-- so a redelivery is a no-op) before we answer 2xx, and processed from the
-- outbox, so nothing a gateway told us can be lost by a crash or swallowed.
CREATE TABLE gateway_events (
  id           text PRIMARY KEY,                 -- the gateway's event id (evt_…)
  gateway      text NOT NULL,
  type         text NOT NULL,
  created_at   timestamptz NOT NULL,             -- when the gateway created it: orders out-of-order deliveries
  payload      jsonb NOT NULL,                   -- the object as sent: ids, amounts, statuses; no card numbers exist in it
  received_at  timestamptz NOT NULL DEFAULT now(),
  processed_at timestamptz
);

-- Disputes opened by the card network through the gateway. Status only moves
-- forward (needs_response → under_review → won/lost), whatever order events arrive in.
CREATE TABLE disputes (
  id                text PRIMARY KEY,            -- the gateway's dispute id (dp_…)
  gateway           text NOT NULL,
  charge_id         text NOT NULL,
  status            text NOT NULL,
  amount            bigint NOT NULL,
  currency          text NOT NULL,
  reason            text,
  status_event_at   timestamptz NOT NULL,        -- the event that set the current status
  opened_at         timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX disputes_charge ON disputes (charge_id);
