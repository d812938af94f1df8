-- W3C trace context of the transaction that wrote the row (docs/outbox.md, docs/tracing.md): optional. The relay
-- continues it, so the event's trace starts in the domain service's request.
ALTER TABLE ${outbox_table} ADD COLUMN IF NOT EXISTS traceparent TEXT;
