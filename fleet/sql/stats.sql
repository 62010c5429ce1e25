-- stats: per host, the counts `auditlog --dir <central>/<host> stats
-- --all-users --since <since> --format json` gives: total, errors (any status
-- but ok or success), error_rate, by_status, by_name (count and errors per
-- tool), by_user and by_day (UTC). Entries without a tool or a status are not
-- runs: they count in "other" only. psql -v since=2025-10-01 -f stats.sql
WITH window_entries AS (
    SELECT host, "user", tool, status, ts
    FROM auditlog_entries
    WHERE ts >= auditlog_ts(:'since' || 'T00:00:00Z')
), runs AS (
    SELECT *, status NOT IN ('ok', 'success') AS failed
    FROM window_entries
    WHERE tool IS NOT NULL AND status IS NOT NULL
)
SELECT h.host, json_build_object(
    'total', (SELECT count(*) FROM runs r WHERE r.host = h.host),
    'errors', (SELECT count(*) FILTER (WHERE failed) FROM runs r WHERE r.host = h.host),
    'error_rate', (SELECT round(avg(failed::int), 6) FROM runs r WHERE r.host = h.host),
    'other', (SELECT count(*) FROM window_entries w
              WHERE w.host = h.host AND (w.tool IS NULL OR w.status IS NULL)),
    'by_status', (SELECT json_object_agg(status, n ORDER BY status)
                  FROM (SELECT status, count(*) AS n FROM runs r
                        WHERE r.host = h.host GROUP BY status) s),
    'by_name', (SELECT json_object_agg(tool, json_build_object('count', n, 'errors', e) ORDER BY tool)
                FROM (SELECT tool, count(*) AS n, count(*) FILTER (WHERE failed) AS e
                      FROM runs r WHERE r.host = h.host GROUP BY tool) t),
    'by_user', (SELECT json_object_agg("user", n ORDER BY "user")
                FROM (SELECT "user", count(*) AS n FROM runs r
                      WHERE r.host = h.host GROUP BY "user") u),
    'by_day', (SELECT json_object_agg(day, n ORDER BY day)
               FROM (SELECT to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*) AS n
                     FROM runs r WHERE r.host = h.host GROUP BY 1) d)
) AS stats
FROM (SELECT DISTINCT host FROM window_entries) h
ORDER BY h.host;
