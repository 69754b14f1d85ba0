-- Admin changes to the business calendar (an unexpected decree, a regional day off, a moved working day).
-- An append-only log: the overrides in force are its fold, per date the latest event (highest id) wins and
-- 'clear' removes the override. Every node rebuilds its calendar from it. Writers append under an advisory
-- lock (src/storage/calendar-store.ts), so ids are committed in order and "events after id N" misses none.
CREATE TABLE calendar_events (
  id          bigserial PRIMARY KEY,
  date        date NOT NULL CHECK (date BETWEEN DATE '2000-01-01' AND DATE '2100-12-31'),
  action      text NOT NULL CHECK (action IN ('set', 'clear')),
  -- What the day becomes; null when the override is cleared.
  type        text CHECK (type IN ('day_off', 'working_day')),
  reason      text NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 500),
  actor_id    uuid,
  actor_role  text NOT NULL,
  occurred_at timestamptz NOT NULL,
  CHECK ((action = 'set') = (type IS NOT NULL))
);
CREATE INDEX calendar_events_date ON calendar_events (date, id);

-- The history is evidence of why a deadline fell where it did: the database refuses to rewrite it.
CREATE FUNCTION calendar_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'calendar_events is append-only (% refused)', TG_OP USING ERRCODE = 'P0001';
END $$;
CREATE TRIGGER calendar_events_append_only BEFORE UPDATE OR DELETE ON calendar_events
  FOR EACH ROW EXECUTE FUNCTION calendar_events_refuse_change();
CREATE TRIGGER calendar_events_no_truncate BEFORE TRUNCATE ON calendar_events
  FOR EACH STATEMENT EXECUTE FUNCTION calendar_events_refuse_change();
