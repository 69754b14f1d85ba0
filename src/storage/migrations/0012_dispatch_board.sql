-- The dispatch board: the open 102 and 109 cases of an organisation, emergencies first, then urgent, then
-- oldest first. The board's one query walks this partial index in order (src/storage/board-store.ts).
CREATE INDEX cases_board ON cases (
  organisation_id,
  (CASE urgency WHEN 'emergency' THEN 0 WHEN 'urgent' THEN 1 ELSE 2 END),
  received_at,
  id
) WHERE state_kind <> 'closed' AND channel IN ('police', 'city');

-- Browsers cannot set headers on an EventSource: a signed-in client trades its bearer token for a short-lived,
-- single-use ticket that goes in the stream's query string. Only the ticket's SHA-256 is stored.
CREATE TABLE board_tickets (
  ticket_hash     text PRIMARY KEY,
  user_id         uuid NOT NULL REFERENCES users(id),
  organisation_id text NOT NULL REFERENCES organisations(id),
  created_at      timestamptz NOT NULL,
  expires_at      timestamptz NOT NULL,
  used_at         timestamptz
);
CREATE INDEX board_tickets_expires ON board_tickets (expires_at);
