-- Evidence of a report (102): what a photo's own metadata (EXIF) says — when and where it was taken —
-- kept beside what the reporter said, one row per attachment. Written in the registration's transaction.
CREATE TABLE case_evidence (
  attachment_id  uuid PRIMARY KEY REFERENCES case_attachments(id),
  case_id        uuid NOT NULL REFERENCES cases(id),
  captured_at    timestamptz,
  captured_lat   double precision CHECK (captured_lat BETWEEN -90 AND 90),
  captured_lon   double precision CHECK (captured_lon BETWEEN -180 AND 180),
  -- The time of the incident the reporter gave, or when the report was received.
  reported_at    timestamptz NOT NULL,
  reported_lat   double precision CHECK (reported_lat BETWEEN -90 AND 90),
  reported_lon   double precision CHECK (reported_lon BETWEEN -180 AND 180),
  created_at     timestamptz NOT NULL,
  CHECK ((captured_lat IS NULL) = (captured_lon IS NULL)),
  CHECK ((reported_lat IS NULL) = (reported_lon IS NULL))
);
CREATE INDEX case_evidence_case ON case_evidence (case_id);
