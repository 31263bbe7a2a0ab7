-- Issue 5 part 10: the automated dispute responder's decision, one per dispute (the primary key makes a retried
-- job decide once), with the reasons and the evidence pack it assembled, and when the gateway took it.
CREATE TABLE dispute_responses (
  dispute_id   text PRIMARY KEY REFERENCES disputes (id),
  decision     text NOT NULL CHECK (decision IN ('submit_evidence', 'accept', 'escalate')),
  reasons      jsonb NOT NULL,
  agent        text NOT NULL,
  evidence     jsonb NOT NULL,
  submitted_at timestamptz,                      -- when the gateway accepted the evidence or the acceptance; null for escalate
  decided_at   timestamptz NOT NULL
);
