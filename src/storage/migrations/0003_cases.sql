-- The case, its append-only event log, its dialog and its attachments.
CREATE TABLE cases (
  id                  uuid PRIMARY KEY,
  registration_number text NOT NULL UNIQUE,
  channel             text NOT NULL,
  kind                text NOT NULL,
  category            text NOT NULL REFERENCES categories(code),
  urgency             text NOT NULL CHECK (urgency IN ('emergency', 'urgent', 'normal')),
  language            text NOT NULL,
  text                text NOT NULL,
  lat                 double precision,
  lon                 double precision,
  address             text,
  city                text,
  district_id         text REFERENCES districts(id),
  applicant_id        uuid REFERENCES users(id),
  anonymous           boolean NOT NULL,
  tracking_code_hash  text UNIQUE,
  organisation_id     text NOT NULL REFERENCES organisations(id),
  assignee_id         uuid REFERENCES users(id),
  state               text NOT NULL,
  state_kind          text NOT NULL CHECK (state_kind IN ('new', 'open', 'waiting', 'closed')),
  confidential        boolean NOT NULL,
  triage              boolean NOT NULL DEFAULT false,
  outcome             text,
  received_at         timestamptz NOT NULL,
  registered_at       timestamptz NOT NULL,
  due_at              timestamptz,
  closed_at           timestamptz,
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL,
  version             integer NOT NULL DEFAULT 1,
  CHECK ((lat IS NULL) = (lon IS NULL))
);
-- Listing is newest first with a keyset cursor on (created_at, id); each filter has its own path.
CREATE INDEX cases_created ON cases (created_at DESC, id DESC);
CREATE INDEX cases_org_created ON cases (organisation_id, created_at DESC, id DESC);
CREATE INDEX cases_applicant ON cases (applicant_id, created_at DESC) WHERE applicant_id IS NOT NULL;
CREATE INDEX cases_assignee ON cases (assignee_id) WHERE assignee_id IS NOT NULL;
CREATE INDEX cases_due ON cases (due_at) WHERE state_kind <> 'closed';

CREATE TABLE case_events (
  id          bigserial PRIMARY KEY,
  case_id     uuid NOT NULL REFERENCES cases(id),
  type        text NOT NULL,
  actor_id    uuid,
  actor_role  text NOT NULL,
  payload     jsonb NOT NULL DEFAULT '{}',
  occurred_at timestamptz NOT NULL
);
CREATE INDEX case_events_case ON case_events (case_id, id);

-- The history is evidence: no code path may rewrite it, and the database itself refuses.
CREATE FUNCTION case_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'case_events is append-only (% refused)', TG_OP USING ERRCODE = 'P0001';
END $$;
CREATE TRIGGER case_events_append_only BEFORE UPDATE OR DELETE ON case_events
  FOR EACH ROW EXECUTE FUNCTION case_events_refuse_change();
CREATE TRIGGER case_events_no_truncate BEFORE TRUNCATE ON case_events
  FOR EACH STATEMENT EXECUTE FUNCTION case_events_refuse_change();

CREATE TABLE case_messages (
  id          uuid PRIMARY KEY,
  case_id     uuid NOT NULL REFERENCES cases(id),
  author_id   uuid,
  author_role text NOT NULL,
  visibility  text NOT NULL CHECK (visibility IN ('dialog', 'internal')),
  body        text NOT NULL,
  created_at  timestamptz NOT NULL
);
CREATE INDEX case_messages_case ON case_messages (case_id, created_at);

-- Bytes are stored once per SHA-256 under DATA_DIR; this row describes one use of them on a case.
CREATE TABLE case_attachments (
  id          uuid PRIMARY KEY,
  case_id     uuid NOT NULL REFERENCES cases(id),
  message_id  uuid REFERENCES case_messages(id),
  sha256      text NOT NULL,
  media_type  text NOT NULL,
  size_bytes  integer NOT NULL,
  file_name   text NOT NULL,
  uploaded_by uuid,
  uploader_role text NOT NULL,
  created_at  timestamptz NOT NULL
);
CREATE INDEX case_attachments_case ON case_attachments (case_id);

-- A retried submission with the same Idempotency-Key returns the first case.
CREATE TABLE idempotency_keys (
  principal    text NOT NULL,
  key          text NOT NULL,
  request_hash text NOT NULL,
  case_id      uuid NOT NULL REFERENCES cases(id),
  response     jsonb NOT NULL,
  created_at   timestamptz NOT NULL,
  PRIMARY KEY (principal, key)
);
