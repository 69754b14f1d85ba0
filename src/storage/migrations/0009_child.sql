-- Bala Qorgau (the child channel): schools as reference data, the school a child report came from, the
-- on-call roster of crisis psychologists, and single-use tickets that open a live chat stream.

-- Reference data from data/schools.json (tyndau seed): the code is printed on the school's QR plate.
CREATE TABLE schools (
  code        text PRIMARY KEY,
  city        text NOT NULL,
  district_id text NOT NULL REFERENCES districts(id),
  name_kk     text NOT NULL,
  name_ru     text NOT NULL,
  name_en     text NOT NULL
);
CREATE INDEX schools_city ON schools (city, code);

-- One row per child case from the child door, written in the registration's transaction. The school is
-- optional (a child may not say); statistics read only this table joined with cases.
CREATE TABLE child_reports (
  case_id     uuid PRIMARY KEY REFERENCES cases(id),
  school_code text REFERENCES schools(code),
  created_at  timestamptz NOT NULL
);
CREATE INDEX child_reports_school ON child_reports (school_code) WHERE school_code IS NOT NULL;

-- Who is on call when: an emergency child case pages the psychologists of its organisation on call at
-- that moment (shifts may overlap; ends_at is exclusive).
CREATE TABLE child_on_call (
  id              bigserial PRIMARY KEY,
  organisation_id text NOT NULL REFERENCES organisations(id),
  user_id         uuid NOT NULL REFERENCES users(id),
  starts_at       timestamptz NOT NULL,
  ends_at         timestamptz NOT NULL,
  created_by      uuid,
  created_at      timestamptz NOT NULL,
  CHECK (ends_at > starts_at)
);
CREATE INDEX child_on_call_org ON child_on_call (organisation_id, ends_at, starts_at);

-- A chat ticket lets an EventSource (which cannot send headers) open the stream without putting the
-- tracking code or a bearer token in a URL: short-lived, single use, only its SHA-256 is stored.
CREATE TABLE child_chat_tickets (
  ticket_hash text PRIMARY KEY,
  case_id     uuid NOT NULL REFERENCES cases(id),
  principal   jsonb NOT NULL,
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,
  created_at  timestamptz NOT NULL
);
CREATE INDEX child_chat_tickets_expiry ON child_chat_tickets (expires_at);
