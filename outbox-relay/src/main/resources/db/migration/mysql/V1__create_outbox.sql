-- The transactional outbox on MySQL 8.0.13+ and MariaDB 10.5+ (both run this folder; docs/outbox.md).
CREATE TABLE IF NOT EXISTS ${outbox_table} (
    id             BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,   -- publication order
    event_id       CHAR(36)     NOT NULL DEFAULT (UUID()),             -- the dedupe key downstream
    type           VARCHAR(255) NOT NULL,                              -- e.g. audit.step_completed
    source         VARCHAR(255) NULL,                                  -- producing service
    aggregate_type VARCHAR(255) NULL,                                  -- e.g. audit
    aggregate_id   VARCHAR(255) NULL,                                  -- Kafka key: per-aggregate order
    payload        JSON         NOT NULL,                              -- a JSON object, becomes Pusher's data
    channels       JSON         NULL,                                  -- optional explicit channels
    socket_id      VARCHAR(255) NULL,                                  -- optional Pusher socket to exclude
    headers        JSON         NULL,                                  -- optional string map
    created_at     TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),  -- becomes occurred_at
    UNIQUE KEY ${outbox_table}_event_id_key (event_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
