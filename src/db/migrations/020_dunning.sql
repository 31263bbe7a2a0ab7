-- Dunning: one case per failed billing boundary. Retries follow a schedule by
-- decline class; the subscription keeps access (past_due) meanwhile; after the
-- last retry the configured final action applies.
CREATE TABLE dunning_cases (
  id              text PRIMARY KEY,                   -- dun_…
  subscription_id text NOT NULL REFERENCES subscriptions (id),
  period_end      timestamptz NOT NULL,               -- the boundary whose charge failed
  amount          bigint NOT NULL CHECK (amount >= 0),
  currency        text NOT NULL,
  decline_code    text NOT NULL,
  soft            boolean NOT NULL,
  attempts        integer NOT NULL DEFAULT 1 CHECK (attempts >= 1),   -- charges tried, the failed renewal included
  status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'recovered', 'exhausted')),
  opened_at       timestamptz NOT NULL,
  closed_at       timestamptz,
  UNIQUE (subscription_id, period_end)
);
