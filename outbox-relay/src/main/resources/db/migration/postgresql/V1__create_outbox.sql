-- The transactional outbox (docs: README, "Writing events"). A domain service inserts one row per event in the
-- same transaction as its change; outbox-relay publishes rows in id order and deletes them once Kafka acknowledged.
CREATE TABLE IF NOT EXISTS ${outbox_table} (
    id             BIGSERIAL    PRIMARY KEY,                       -- publication order
    event_id       UUID         NOT NULL DEFAULT gen_random_uuid(), -- the dedupe key downstream
    type           TEXT         NOT NULL,                          -- e.g. audit.step_completed
    source         TEXT,                                           -- producing service
    aggregate_type TEXT,                                           -- e.g. audit
    aggregate_id   TEXT,                                           -- Kafka key: per-aggregate order
    payload        JSONB        NOT NULL,                          -- a JSON object, becomes Pusher's data
    channels       JSONB,                                          -- optional explicit channels (array of strings)
    socket_id      TEXT,                                           -- optional Pusher socket to exclude
    headers        JSONB,                                          -- optional string map (traceparent, ...)
    created_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),            -- becomes occurred_at
    CONSTRAINT ${outbox_table}_event_id_key UNIQUE (event_id)
);
