-- The legal clock in the database: one row per obligation of a case, checked by the deadline worker.
-- A silence complaint links the appeal it is about; the applicant's consent to it is given at submission.
ALTER TABLE cases ADD COLUMN related_case_id uuid REFERENCES cases(id);
ALTER TABLE cases ADD COLUMN complaint_consent boolean NOT NULL DEFAULT true;
CREATE INDEX cases_related ON cases (related_case_id) WHERE related_case_id IS NOT NULL;

CREATE TABLE case_deadlines (
  id            bigserial PRIMARY KEY,
  case_id       uuid NOT NULL REFERENCES cases(id),
  obligation    text NOT NULL CHECK (obligation IN ('answer', 'dispatch', 'first_contact', 'register')),
  due_at        timestamptz NOT NULL,
  warn_at       timestamptz NOT NULL,          -- 75% of the term: received_at + 0.75 * (due_at - received_at)
  state         text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'warned', 'met', 'breached')),
  warned_at     timestamptz,
  breached_at   timestamptz,
  met_at        timestamptz,
  next_check_at timestamptz,                   -- warn_at while pending, due_at while warned, NULL when done
  created_at    timestamptz NOT NULL,
  CHECK (warn_at <= due_at),
  CHECK ((state IN ('pending', 'warned')) = (next_check_at IS NOT NULL))
);
-- The worker's only path: open rows by their next check. Done rows leave the index, so its size
-- follows the open deadlines, not the history.
CREATE INDEX case_deadlines_next_check ON case_deadlines (next_check_at) WHERE state IN ('pending', 'warned');
CREATE INDEX case_deadlines_case ON case_deadlines (case_id);
