-- Publication order that a late commit cannot break (docs/outbox.md, "Order"): each row records the id of the
-- transaction that inserted it, and the relay reads rows in (xid, id) order below the oldest transaction still
-- running, so a row never commits behind rows already published. Writers need not change: the column has a default.
ALTER TABLE ${outbox_table} ADD COLUMN IF NOT EXISTS xid xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX IF NOT EXISTS ${outbox_table}_xid_id ON ${outbox_table} (xid, id);
