-- Reconciliation runs: the window compared, what was auto-fixed and what needs
-- a person, kept for GET /v1/reconciliation/reports.
CREATE TABLE reconciliation_reports (
  id          text PRIMARY KEY,                 -- rec_…
  gateway     text NOT NULL,
  since       timestamptz NOT NULL,
  until       timestamptz NOT NULL,
  summary     jsonb NOT NULL,
  findings    jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reconciliation_reports_created ON reconciliation_reports (created_at DESC);
