-- Wake outbox-relay as soon as rows commit: one notification per inserting statement, delivered at commit.
-- The relay LISTENs on the channel named after the table and polls as a fallback.
CREATE OR REPLACE FUNCTION ${outbox_table}_notify() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('${outbox_table}', '');
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS ${outbox_table}_notify ON ${outbox_table};
CREATE TRIGGER ${outbox_table}_notify
    AFTER INSERT ON ${outbox_table}
    FOR EACH STATEMENT EXECUTE FUNCTION ${outbox_table}_notify();
