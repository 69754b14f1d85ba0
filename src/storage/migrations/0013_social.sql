-- Social listening's evidence (src/storage/social-store.ts, issue 7). Every post is kept as first seen,
-- with every later version; a deletion is recorded, never applied; the author is a keyed hash (HMAC with
-- the server key) unless the post is adopted into a case. One row per (source, external id): a duplicate
-- delivery changes nothing.

CREATE TABLE social_posts (
  id             uuid PRIMARY KEY,
  source         text NOT NULL,
  external_id    text NOT NULL,
  -- telegram-export, whatsapp, telegram-bot, jsonl, webhook, nats: the door it first came through.
  format         text NOT NULL,
  -- HMAC-SHA-256 of the handle (hex); the handle itself only once the post is adopted.
  author_key     text,
  author_handle  text,
  posted_at      timestamptz NOT NULL,
  -- The current version (the latest by the platform's edit time), as sent.
  text           text NOT NULL,
  media_urls     jsonb NOT NULL DEFAULT '[]',
  lat            double precision,
  lon            double precision,
  reply_to       text,
  thread_id      text,
  first_seen_at  timestamptz NOT NULL,
  content_hash   text NOT NULL,
  -- When the current version was written on the platform (posted_at for the original).
  current_at     timestamptz NOT NULL,
  edits          integer NOT NULL DEFAULT 0,
  -- false while only an edit (which carries the whole post) has arrived.
  original_seen  boolean NOT NULL,
  -- false while only a deletion has arrived: the row holds the place, the text is still unknown.
  text_known     boolean NOT NULL,
  deleted_at     timestamptz,
  -- Understanding on ingestion: relevance, category, urgency, language, places (src/social/ingest-reading.ts).
  relevant       boolean,
  category       text,
  urgency        text,
  language       text,
  city           text,
  district_id    text,
  reading        jsonb,
  adopted_case_id uuid REFERENCES cases(id),
  UNIQUE (source, external_id)
);
CREATE INDEX social_posts_posted ON social_posts (posted_at);
CREATE INDEX social_posts_district ON social_posts (district_id, posted_at) WHERE relevant;

-- Every version as received: the original (version 'post') and each edit. version_key identifies a
-- delivery of a version (its content and edit time), so a repeated edit adds nothing.
CREATE TABLE social_post_versions (
  post_id       uuid NOT NULL REFERENCES social_posts(id),
  version_key   text NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('post', 'edit')),
  text          text NOT NULL,
  media_urls    jsonb NOT NULL DEFAULT '[]',
  content_hash  text NOT NULL,
  -- The platform's time of this version (the post's time for the original).
  written_at    timestamptz NOT NULL,
  seen_at       timestamptz NOT NULL,
  PRIMARY KEY (post_id, version_key)
);
