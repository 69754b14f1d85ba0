-- The notification outbox: every notice the applicant must get is a row written in the same transaction
-- as the step it reports, then delivered (and retried with back-off) by the outbox worker.
CREATE TABLE notifications (
  id                  bigserial PRIMARY KEY,
  case_id             uuid NOT NULL REFERENCES cases(id),
  recipient_id        uuid NOT NULL REFERENCES users(id),
  template            text NOT NULL,
  language            text NOT NULL CHECK (language IN ('kk', 'ru', 'en')),
  params              jsonb NOT NULL DEFAULT '{}',
  fulfils_deadline_id bigint REFERENCES case_deadlines(id),
  state               text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
  attempts            integer NOT NULL DEFAULT 0,
  next_attempt_at     timestamptz,
  last_error          text,
  transport           text,
  sent_at             timestamptz,
  created_at          timestamptz NOT NULL,
  CHECK ((state = 'pending') = (next_attempt_at IS NOT NULL))
);
CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE state = 'pending';
CREATE INDEX notifications_case ON notifications (case_id);

-- Where notices reach a person: the e-mail address they gave (optional; citizens always have their phone).
ALTER TABLE users ADD COLUMN email text;
