-- The Telegram bot door (src/channels/telegram/): one conversation per private chat, the updates already
-- handled (Telegram retries a webhook until it gets a 2xx, so an update may arrive more than once), and
-- which case came from which chat (status changes go back there through the outbox).

CREATE TABLE telegram_chats (
  chat_id     bigint PRIMARY KEY,
  language    text CHECK (language IN ('kk', 'ru', 'en')),
  -- Where the conversation stands: idle, language, text, place, photos, confirm.
  step        text NOT NULL,
  -- The report being filled in (text, point or address, photos by SHA-256); its shape belongs to the door,
  -- which validates it on every read.
  draft       jsonb,
  -- The citizen this chat belongs to, once they shared their own phone number (a contact).
  user_id     uuid REFERENCES users(id),
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL
);

-- Written in the same transaction as the effects of the update: committed means handled.
CREATE TABLE telegram_updates (
  update_id   bigint PRIMARY KEY,
  chat_id     bigint,
  handled_at  timestamptz NOT NULL
);
CREATE INDEX telegram_updates_handled ON telegram_updates (handled_at);

CREATE TABLE telegram_cases (
  case_id     uuid PRIMARY KEY REFERENCES cases(id),
  chat_id     bigint NOT NULL REFERENCES telegram_chats(chat_id),
  created_at  timestamptz NOT NULL
);
CREATE INDEX telegram_cases_chat ON telegram_cases (chat_id, created_at DESC);
