-- The transactional outbox: a job row is written in the same transaction as the
-- change that causes it, so a side effect exists if and only if the change committed.

CREATE TABLE outbox_jobs (
  id            text PRIMARY KEY,                       -- job_…
  type          text NOT NULL CHECK (type ~ '^[a-z][a-z0-9]*(-[a-z0-9]+)*$'), -- kebab-case
  payload       jsonb NOT NULL DEFAULT '{}',            -- references only: never a PAN, CVC, OTP, token or secret
  status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done', 'dead')),
  attempts      integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),   -- incremented at claim: also the lease token
  max_attempts  integer NOT NULL DEFAULT 8 CHECK (max_attempts >= 1),
  run_at        timestamptz NOT NULL DEFAULT now(),
  locked_until  timestamptz,                            -- a 'running' job past this is reclaimed (crashed worker)
  last_error    text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  done_at       timestamptz
);
-- Claiming: pending jobs that are due, oldest first.
CREATE INDEX outbox_jobs_claim ON outbox_jobs (status, run_at);
-- Reclaiming: the few running jobs, by lease expiry.
CREATE INDEX outbox_jobs_running_lease ON outbox_jobs (locked_until) WHERE status = 'running';

-- A record that a notification left the system, so an at-least-once job does not
-- send twice. It never stores the body (which may hold a one-time code) nor the
-- address itself. No FK to outbox_jobs: finished jobs may be pruned, this record stays.
CREATE TABLE notifications_sent (
  id                  text PRIMARY KEY,                 -- msg_…
  job_id              text NOT NULL UNIQUE,
  channel             text NOT NULL DEFAULT 'email' CHECK (channel IN ('email')),
  template            text NOT NULL,
  to_hash             text NOT NULL,                    -- sha256 of the normalized address
  provider_message_id text,
  sent_at             timestamptz NOT NULL DEFAULT now()
);
