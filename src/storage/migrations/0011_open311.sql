-- Open311 (docs/OPEN311.md). A request's token is its submission's idempotency key: GET tokens/{token}
-- finds it by the key alone, and an update checks that the client's key filed the case.
CREATE INDEX idempotency_keys_key ON idempotency_keys (key);
CREATE INDEX idempotency_keys_case ON idempotency_keys (case_id);
-- GET servicerequestupdates reads the steps of a time window.
CREATE INDEX case_events_occurred ON case_events (occurred_at);
