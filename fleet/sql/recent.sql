-- recent: a user's newest entries on one host, newest first, as
--   auditlog --dir <central>/<host> recent --user <user> --limit <limit> --format jsonl
-- prints them. psql -v host=... -v user=... -v limit=... -f recent.sql
SELECT entry
FROM auditlog_entries
WHERE host = :'host' AND "user" = :'user'
ORDER BY seq DESC
LIMIT :limit;
