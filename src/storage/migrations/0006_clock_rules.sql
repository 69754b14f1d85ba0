-- The legal clock's rules after registration: extensions, pauses while the applicant is asked for
-- documents, notices the body owes, timers (the applicant's own deadline, the four-week survey), ratings
-- and complaints about an answer.
ALTER TABLE case_deadlines DROP CONSTRAINT case_deadlines_obligation_check;
ALTER TABLE case_deadlines ADD CONSTRAINT case_deadlines_obligation_check
  CHECK (obligation IN ('answer', 'dispatch', 'first_contact', 'register', 'notify_extension', 'applicant_response', 'survey'));
ALTER TABLE case_deadlines DROP CONSTRAINT case_deadlines_state_check;
-- paused: the clock stopped while the applicant completes the appeal; fired: a timer went off;
-- cancelled: a timer no longer needed (the case was reopened before the survey).
ALTER TABLE case_deadlines ADD CONSTRAINT case_deadlines_state_check
  CHECK (state IN ('pending', 'warned', 'paused', 'met', 'breached', 'fired', 'cancelled'));
-- How a pause shifts the term: by the working days it lasted, or by the time it lasted (round-the-clock terms).
ALTER TABLE case_deadlines ADD COLUMN counting text NOT NULL DEFAULT 'elapsed' CHECK (counting IN ('working_days', 'elapsed'));
-- The due time before the first extension: the 2-month limit counts from it.
ALTER TABLE case_deadlines ADD COLUMN original_due_at timestamptz;
ALTER TABLE case_deadlines ADD COLUMN paused_at timestamptz;
ALTER TABLE case_deadlines ADD CONSTRAINT case_deadlines_paused CHECK ((state = 'paused') = (paused_at IS NOT NULL));
UPDATE case_deadlines d SET counting = 'working_days' FROM cases c WHERE c.id = d.case_id AND c.channel = 'appeal';

-- A complaint links the case it is about; it is about silence (no answer in the term) or about an
-- answer, in which case it names the official whose answer is contested.
ALTER TABLE cases ADD COLUMN complaint_about text CHECK (complaint_about IN ('silence', 'answer'));
ALTER TABLE cases ADD COLUMN contested_official_id uuid REFERENCES users(id);
UPDATE cases SET complaint_about = 'silence' WHERE related_case_id IS NOT NULL;
CREATE UNIQUE INDEX cases_one_open_answer_complaint ON cases (related_case_id)
  WHERE complaint_about = 'answer' AND state_kind <> 'closed';

-- The applicant's rating of the answer, 1 to 5; a later rating replaces the earlier one (both are events).
CREATE TABLE case_ratings (
  case_id      uuid PRIMARY KEY REFERENCES cases(id),
  applicant_id uuid NOT NULL REFERENCES users(id),
  score        smallint NOT NULL CHECK (score BETWEEN 1 AND 5),
  comment      text,
  rated_at     timestamptz NOT NULL
);
