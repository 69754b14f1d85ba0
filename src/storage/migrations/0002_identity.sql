-- People and machines that act: staff, citizens (phone sign-in) and API clients.
CREATE TABLE users (
  id              uuid PRIMARY KEY,
  kind            text NOT NULL CHECK (kind IN ('staff', 'citizen')),
  username        text UNIQUE,
  phone           text UNIQUE,
  password_hash   text,
  display_name    text NOT NULL,
  role            text NOT NULL,
  organisation_id text REFERENCES organisations(id),
  language        text NOT NULL DEFAULT 'kk',
  disabled        boolean NOT NULL DEFAULT false,
  created_at      timestamptz NOT NULL
);

CREATE TABLE api_keys (
  id              uuid PRIMARY KEY,
  key_hash        text NOT NULL UNIQUE,
  name            text NOT NULL,
  role            text NOT NULL,
  organisation_id text REFERENCES organisations(id),
  created_by      uuid REFERENCES users(id),
  created_at      timestamptz NOT NULL,
  revoked_at      timestamptz
);

-- Opaque bearer tokens: only their SHA-256 is stored, so a database leak yields no usable token.
CREATE TABLE access_tokens (
  token_hash text PRIMARY KEY,
  user_id    uuid NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE INDEX access_tokens_user ON access_tokens (user_id);

CREATE TABLE one_time_codes (
  phone      text PRIMARY KEY,
  code_hash  text NOT NULL,
  expires_at timestamptz NOT NULL,
  attempts   integer NOT NULL DEFAULT 0
);
