-- Social listening's issues (issue 7): messages about one problem in one place at one time, from social
-- posts and cases of every channel. The clusterer (src/social/issues/) decides; this keeps its result so
-- the API and the CLI read it and a restart picks up the open issues.
CREATE TABLE social_issues (
  id           text PRIMARY KEY,
  category     text NOT NULL,
  city         text,
  district_id  text,
  first_seen   timestamptz NOT NULL,
  last_seen    timestamptz NOT NULL,
  messages     integer NOT NULL CHECK (messages >= 0),
  posts        integer NOT NULL CHECK (posts >= 0),
  cases        integer NOT NULL CHECK (cases >= 0),
  duplicates   integer NOT NULL CHECK (duplicates >= 0),
  -- source → messages; local day → messages; hour since the epoch → messages (burst detection)
  sources      jsonb NOT NULL,
  daily        jsonb NOT NULL,
  hourly       jsonb NOT NULL,
  -- up to 24 messages (ref, source, time, text with personal data masked) and the extractive summary
  samples      jsonb NOT NULL,
  summary      jsonb NOT NULL,
  updated_at   timestamptz NOT NULL
);
CREATE INDEX social_issues_district ON social_issues (district_id, last_seen DESC);
CREATE INDEX social_issues_city ON social_issues (city, last_seen DESC);
CREATE INDEX social_issues_last_seen ON social_issues (last_seen DESC);

-- Which issue each message went to: a message belongs to one issue, once (no double counting).
CREATE TABLE social_issue_members (
  ref_kind   text NOT NULL CHECK (ref_kind IN ('post', 'case')),
  ref_id     text NOT NULL,
  issue_id   text NOT NULL REFERENCES social_issues(id),
  duplicate  boolean NOT NULL,
  at         timestamptz NOT NULL,
  PRIMARY KEY (ref_kind, ref_id)
);
CREATE INDEX social_issue_members_issue ON social_issue_members (issue_id, at, ref_kind, ref_id);
