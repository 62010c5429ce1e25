-- The central SQL store: one row per shipped line, fed by the collector's
-- ompgsql action (rsyslog-collector.conf). The entry is kept as the JSON it
-- was written as (type json keeps the text; jsonb would reorder keys); the
-- columns queries filter on are generated from it.
--
-- Tool-log timestamps are UTC with an explicit Z, so reading one as a
-- timestamptz does not depend on the session's time zone: immutable.
CREATE FUNCTION auditlog_ts(text) RETURNS timestamptz
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN $1::timestamptz;

CREATE TABLE auditlog_entries (
    id       bigserial PRIMARY KEY,
    host     text NOT NULL,   -- the sending machine (AUDITLOG_FLEET_HOST)
    file     text NOT NULL,   -- <user>/tool_audit/<file name> on that machine
    entry    json NOT NULL,   -- the line, as written
    ts       timestamptz GENERATED ALWAYS AS (auditlog_ts(entry ->> 'ts')) STORED,
    "user"   text GENERATED ALWAYS AS (entry ->> 'user') STORED,
    tool     text GENERATED ALWAYS AS (entry ->> 'tool') STORED,
    status   text GENERATED ALWAYS AS (entry ->> 'status') STORED,
    seq      bigint GENERATED ALWAYS AS ((entry ->> 'seq')::bigint) STORED
);

-- A line delivered twice (RELP after a sender's crash) is stored once: the
-- collector inserts with ON CONFLICT DO NOTHING. Each user's chain numbers
-- its entries from 1, so (host, user, seq) names one entry.
CREATE UNIQUE INDEX auditlog_entries_seq ON auditlog_entries (host, "user", seq);
CREATE INDEX auditlog_entries_ts ON auditlog_entries (ts);
