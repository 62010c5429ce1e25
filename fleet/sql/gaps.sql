-- gaps: per host and user, the runs of seq missing from the store (a chain
-- numbers a user's entries 1, 2, 3, ...). No rows: every entry from seq 1 to
-- each user's newest arrived. It cannot tell a chain cut from its end: compare
-- each user's max(seq) with the machine's `auditlog verify` checkpoint.
-- (The files are the proof: `auditlog verify` on <central>/<host> also checks
-- every link. This finds what did not reach SQL.)
WITH numbered AS (
    SELECT host, "user", seq,
           lag(seq, 1, 0::bigint) OVER (PARTITION BY host, "user" ORDER BY seq) AS before
    FROM auditlog_entries
    WHERE seq IS NOT NULL
)
SELECT host, "user", before + 1 AS first_missing, seq - 1 AS last_missing
FROM numbered
WHERE seq > before + 1
ORDER BY host, "user", first_missing;
