# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_auditlog_global_optspecs
    string join \n dir= component= timeout-ms= memory-limit-mb= key-file= max-entry-bytes= max-file-bytes= max-days= max-user-bytes= compress= compress-grace= redact-key= sync= now= h/help V/version
end

function __fish_auditlog_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_auditlog_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_auditlog_using_subcommand
    set -l cmd (__fish_auditlog_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c auditlog -n "__fish_auditlog_needs_command" -l dir -d 'The log directory; writes create it if missing, reads refuse a missing one' -r -F
complete -c auditlog -n "__fish_auditlog_needs_command" -l component -d 'Run this component file instead of the built-in one' -r -F
complete -c auditlog -n "__fish_auditlog_needs_command" -l timeout-ms -d 'Stop a call into the component that runs longer than this many milliseconds [default: 30000]' -r
complete -c auditlog -n "__fish_auditlog_needs_command" -l memory-limit-mb -d 'Stop a call that grows the component\'s memory beyond this many MiB [default: 256]' -r
complete -c auditlog -n "__fish_auditlog_needs_command" -l key-file -d 'Link entries with HMAC-SHA-256 under the key in this file (at least 16 bytes besides surrounding whitespace; outside the log directory, not reached through a symbolic link or hard link there; not readable by every user: `chmod 600`). Use the same key to verify; a keyed log refuses writes without it' -r -F
complete -c auditlog -n "__fish_auditlog_needs_command" -l max-entry-bytes -d 'Cut entries larger than this many bytes field by field (longest strings first) and mark them "truncated": true; an entry is never refused for its size alone [default: 102400]' -r
complete -c auditlog -n "__fish_auditlog_needs_command" -l max-file-bytes -d 'Roll a user\'s day file over into a new segment (YYYY-MM-DD.1.jsonl, .2.jsonl, ...) once it holds this many bytes; 0 turns it off [default: tool_log.max_file_bytes in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_needs_command" -l max-days -d 'Keep each user\'s tool log for its last N UTC days, today included, judged by the entries\' own timestamps; 0 keeps every day [default: tool_log.max_days in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_needs_command" -l max-user-bytes -d 'Keep at most this many bytes of tool-log files per user, deleting the oldest files first; 0 is no bound [default: tool_log.max_user_bytes in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_needs_command" -l compress -d 'Gzip closed tool-log files (a segment once the next one starts, a day\'s last file once that day is two days past): true or false [default: tool_log.compress in DIR/auditlog.toml, else false]' -r -f -a "true\t''
false\t''"
complete -c auditlog -n "__fish_auditlog_needs_command" -l compress-grace -d 'With compress, gzip a closed tool-log file only once its last entry is at least this many seconds old, so that a log shipper following the plain file (rsyslog\'s imfile) that is behind or stopped for a while still reads it whole; 0 compresses as soon as the file is closed [default: tool_log.compress_grace in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_needs_command" -l redact-key -d 'Also treat keys containing WORD as secrets (repeatable), besides the built-in ones: keys containing password, passwd, passphrase, secret, token, apikey, accesskey, privatekey, authorization, bearer, cookie, session or credential, keys with a word pass, pwd, auth, dsn, sig or signature, and most keys whose last word is key (see docs/security.md); compared without case, - or _' -r
complete -c auditlog -n "__fish_auditlog_needs_command" -l sync -d 'When appended entries are flushed to disk: `never` (the OS writes them back; an acknowledged entry survives a crash of the writer but not a power loss), `batch` (one fdatasync shared by concurrent writers before they return), `always` (one fdatasync per entry) [default: never]' -r -f -a "never\t''
batch\t''
always\t''"
complete -c auditlog -n "__fish_auditlog_needs_command" -l now -d 'Pretend the current time is this RFC 3339 instant (for tests and replays)' -r
complete -c auditlog -n "__fish_auditlog_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c auditlog -n "__fish_auditlog_needs_command" -s V -l version -d 'Print version'
complete -c auditlog -n "__fish_auditlog_needs_command" -f -a "record" -d 'Record one skill run in DIR/audit_log.json and print the seed\'s response JSON'
complete -c auditlog -n "__fish_auditlog_needs_command" -f -a "tool" -d 'Record one tool call in DIR/USER/tool_audit/YYYY-MM-DD.jsonl (today, UTC)'
complete -c auditlog -n "__fish_auditlog_needs_command" -f -a "recent" -d 'Show the newest entries of the skill log or of tool logs, newest first'
complete -c auditlog -n "__fish_auditlog_needs_command" -f -a "stats" -d 'Show totals over the entries of a log: counts, error rate, durations'
complete -c auditlog -n "__fish_auditlog_needs_command" -f -a "serve" -d 'Serve recent entries and stats read-only over HTTP as JSON, behind bearer tokens, and the admin console at `/`'
complete -c auditlog -n "__fish_auditlog_needs_command" -f -a "verify" -d 'Check that no entry was modified, removed, inserted or reordered'
complete -c auditlog -n "__fish_auditlog_needs_command" -f -a "repair" -d 'Find damaged log files; keep their intact entries and move the rest aside'
complete -c auditlog -n "__fish_auditlog_needs_command" -f -a "adopt" -d 'Seal the legacy entries (written by another writer) the logs hold, so that verify proves them unchanged from now on'
complete -c auditlog -n "__fish_auditlog_needs_command" -f -a "rotate" -d 'Apply the rotation policy now: compress closed tool-log files and delete what retention no longer keeps'
complete -c auditlog -n "__fish_auditlog_needs_command" -f -a "config" -d 'Show or check the configuration'
complete -c auditlog -n "__fish_auditlog_needs_command" -f -a "run-skill" -d 'Run a sandboxed skill component for a user and record the run'
complete -c auditlog -n "__fish_auditlog_needs_command" -f -a "component" -d 'Write the built-in component (a WebAssembly component) to a file'
complete -c auditlog -n "__fish_auditlog_needs_command" -f -a "generate" -d 'Print documentation generated from the command line\'s own definitions'
complete -c auditlog -n "__fish_auditlog_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c auditlog -n "__fish_auditlog_using_subcommand record" -l max-entries -d 'Keep at most N entries, dropping the oldest [default: skill_log.max_entries in DIR/auditlog.toml, else 10000]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand record" -l dir -d 'The log directory; writes create it if missing, reads refuse a missing one' -r -F
complete -c auditlog -n "__fish_auditlog_using_subcommand record" -l component -d 'Run this component file instead of the built-in one' -r -F
complete -c auditlog -n "__fish_auditlog_using_subcommand record" -l timeout-ms -d 'Stop a call into the component that runs longer than this many milliseconds [default: 30000]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand record" -l memory-limit-mb -d 'Stop a call that grows the component\'s memory beyond this many MiB [default: 256]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand record" -l key-file -d 'Link entries with HMAC-SHA-256 under the key in this file (at least 16 bytes besides surrounding whitespace; outside the log directory, not reached through a symbolic link or hard link there; not readable by every user: `chmod 600`). Use the same key to verify; a keyed log refuses writes without it' -r -F
complete -c auditlog -n "__fish_auditlog_using_subcommand record" -l max-entry-bytes -d 'Cut entries larger than this many bytes field by field (longest strings first) and mark them "truncated": true; an entry is never refused for its size alone [default: 102400]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand record" -l max-file-bytes -d 'Roll a user\'s day file over into a new segment (YYYY-MM-DD.1.jsonl, .2.jsonl, ...) once it holds this many bytes; 0 turns it off [default: tool_log.max_file_bytes in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand record" -l max-days -d 'Keep each user\'s tool log for its last N UTC days, today included, judged by the entries\' own timestamps; 0 keeps every day [default: tool_log.max_days in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand record" -l max-user-bytes -d 'Keep at most this many bytes of tool-log files per user, deleting the oldest files first; 0 is no bound [default: tool_log.max_user_bytes in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand record" -l compress -d 'Gzip closed tool-log files (a segment once the next one starts, a day\'s last file once that day is two days past): true or false [default: tool_log.compress in DIR/auditlog.toml, else false]' -r -f -a "true\t''
false\t''"
complete -c auditlog -n "__fish_auditlog_using_subcommand record" -l compress-grace -d 'With compress, gzip a closed tool-log file only once its last entry is at least this many seconds old, so that a log shipper following the plain file (rsyslog\'s imfile) that is behind or stopped for a while still reads it whole; 0 compresses as soon as the file is closed [default: tool_log.compress_grace in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand record" -l redact-key -d 'Also treat keys containing WORD as secrets (repeatable), besides the built-in ones: keys containing password, passwd, passphrase, secret, token, apikey, accesskey, privatekey, authorization, bearer, cookie, session or credential, keys with a word pass, pwd, auth, dsn, sig or signature, and most keys whose last word is key (see docs/security.md); compared without case, - or _' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand record" -l sync -d 'When appended entries are flushed to disk: `never` (the OS writes them back; an acknowledged entry survives a crash of the writer but not a power loss), `batch` (one fdatasync shared by concurrent writers before they return), `always` (one fdatasync per entry) [default: never]' -r -f -a "never\t''
batch\t''
always\t''"
complete -c auditlog -n "__fish_auditlog_using_subcommand record" -l now -d 'Pretend the current time is this RFC 3339 instant (for tests and replays)' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand record" -s h -l help -d 'Print help'
complete -c auditlog -n "__fish_auditlog_using_subcommand tool" -l user -d 'The user the tool ran for (a directory name: no \'/\', \'..\', or leading \'.\')' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand tool" -l tool -d 'The tool\'s name' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand tool" -l status -d 'How the call ended: ok, error or denied' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand tool" -l args -d 'The call\'s arguments, a JSON object' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand tool" -l result -d 'The tool\'s result' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand tool" -l arg-max-chars -d 'Cut string values in --args to N characters [default: 500]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand tool" -l snippet-chars -d 'Keep the first N characters of the result [default: 300]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand tool" -l result-file -d 'Read the tool\'s result from a file ("-" for standard input)' -r -F
complete -c auditlog -n "__fish_auditlog_using_subcommand tool" -l dir -d 'The log directory; writes create it if missing, reads refuse a missing one' -r -F
complete -c auditlog -n "__fish_auditlog_using_subcommand tool" -l component -d 'Run this component file instead of the built-in one' -r -F
complete -c auditlog -n "__fish_auditlog_using_subcommand tool" -l timeout-ms -d 'Stop a call into the component that runs longer than this many milliseconds [default: 30000]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand tool" -l memory-limit-mb -d 'Stop a call that grows the component\'s memory beyond this many MiB [default: 256]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand tool" -l key-file -d 'Link entries with HMAC-SHA-256 under the key in this file (at least 16 bytes besides surrounding whitespace; outside the log directory, not reached through a symbolic link or hard link there; not readable by every user: `chmod 600`). Use the same key to verify; a keyed log refuses writes without it' -r -F
complete -c auditlog -n "__fish_auditlog_using_subcommand tool" -l max-entry-bytes -d 'Cut entries larger than this many bytes field by field (longest strings first) and mark them "truncated": true; an entry is never refused for its size alone [default: 102400]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand tool" -l max-file-bytes -d 'Roll a user\'s day file over into a new segment (YYYY-MM-DD.1.jsonl, .2.jsonl, ...) once it holds this many bytes; 0 turns it off [default: tool_log.max_file_bytes in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand tool" -l max-days -d 'Keep each user\'s tool log for its last N UTC days, today included, judged by the entries\' own timestamps; 0 keeps every day [default: tool_log.max_days in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand tool" -l max-user-bytes -d 'Keep at most this many bytes of tool-log files per user, deleting the oldest files first; 0 is no bound [default: tool_log.max_user_bytes in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand tool" -l compress -d 'Gzip closed tool-log files (a segment once the next one starts, a day\'s last file once that day is two days past): true or false [default: tool_log.compress in DIR/auditlog.toml, else false]' -r -f -a "true\t''
false\t''"
complete -c auditlog -n "__fish_auditlog_using_subcommand tool" -l compress-grace -d 'With compress, gzip a closed tool-log file only once its last entry is at least this many seconds old, so that a log shipper following the plain file (rsyslog\'s imfile) that is behind or stopped for a while still reads it whole; 0 compresses as soon as the file is closed [default: tool_log.compress_grace in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand tool" -l redact-key -d 'Also treat keys containing WORD as secrets (repeatable), besides the built-in ones: keys containing password, passwd, passphrase, secret, token, apikey, accesskey, privatekey, authorization, bearer, cookie, session or credential, keys with a word pass, pwd, auth, dsn, sig or signature, and most keys whose last word is key (see docs/security.md); compared without case, - or _' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand tool" -l sync -d 'When appended entries are flushed to disk: `never` (the OS writes them back; an acknowledged entry survives a crash of the writer but not a power loss), `batch` (one fdatasync shared by concurrent writers before they return), `always` (one fdatasync per entry) [default: never]' -r -f -a "never\t''
batch\t''
always\t''"
complete -c auditlog -n "__fish_auditlog_using_subcommand tool" -l now -d 'Pretend the current time is this RFC 3339 instant (for tests and replays)' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand tool" -s h -l help -d 'Print help'
complete -c auditlog -n "__fish_auditlog_using_subcommand recent" -l user -d 'Read this user\'s tool log' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand recent" -l skill -d 'Only runs of this skill (with --skills)' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand recent" -l tool -d 'Only calls of this tool (with --user or --all-users)' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand recent" -l status -d 'Only entries with this status (success, failed, ok, error, denied, ...)' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand recent" -l since -d 'Only entries at or after this time: RFC 3339 or a date (2025-10-23 = its UTC midnight)' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand recent" -l until -d 'Only entries before this time: RFC 3339 or a date' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand recent" -l days -d 'Only entries from today and the N-1 UTC days before (1 to 3660) [default: 7 for tool logs, unless --since is given; none for --skills]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand recent" -l limit -d 'Return at most N entries (1 to 10000)' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand recent" -l cursor -d 'Continue after the previous page (the cursor it printed)' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand recent" -l format -d 'How to print the entries' -r -f -a "json\t'One JSON array'
jsonl\t'One JSON object a line'
table\t'Aligned columns for a terminal; long values are cut. An entry of another schema shows its first fields as key=value in the name column'
csv\t'Comma-separated values with a header row (RFC 4180); nested values as JSON; control and invisible characters escaped (`\\u{1b}`), one line an entry; text that begins with = + - or @ is written after a \' so that a spreadsheet shows it instead of running it. The last column, other_fields, holds as one JSON object the entry\'s fields that no other column shows (most of an entry of another schema), its seal (seq, hash, mac) aside'"
complete -c auditlog -n "__fish_auditlog_using_subcommand recent" -l dir -d 'The log directory; writes create it if missing, reads refuse a missing one' -r -F
complete -c auditlog -n "__fish_auditlog_using_subcommand recent" -l component -d 'Run this component file instead of the built-in one' -r -F
complete -c auditlog -n "__fish_auditlog_using_subcommand recent" -l timeout-ms -d 'Stop a call into the component that runs longer than this many milliseconds [default: 30000]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand recent" -l memory-limit-mb -d 'Stop a call that grows the component\'s memory beyond this many MiB [default: 256]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand recent" -l key-file -d 'Link entries with HMAC-SHA-256 under the key in this file (at least 16 bytes besides surrounding whitespace; outside the log directory, not reached through a symbolic link or hard link there; not readable by every user: `chmod 600`). Use the same key to verify; a keyed log refuses writes without it' -r -F
complete -c auditlog -n "__fish_auditlog_using_subcommand recent" -l max-entry-bytes -d 'Cut entries larger than this many bytes field by field (longest strings first) and mark them "truncated": true; an entry is never refused for its size alone [default: 102400]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand recent" -l max-file-bytes -d 'Roll a user\'s day file over into a new segment (YYYY-MM-DD.1.jsonl, .2.jsonl, ...) once it holds this many bytes; 0 turns it off [default: tool_log.max_file_bytes in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand recent" -l max-days -d 'Keep each user\'s tool log for its last N UTC days, today included, judged by the entries\' own timestamps; 0 keeps every day [default: tool_log.max_days in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand recent" -l max-user-bytes -d 'Keep at most this many bytes of tool-log files per user, deleting the oldest files first; 0 is no bound [default: tool_log.max_user_bytes in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand recent" -l compress -d 'Gzip closed tool-log files (a segment once the next one starts, a day\'s last file once that day is two days past): true or false [default: tool_log.compress in DIR/auditlog.toml, else false]' -r -f -a "true\t''
false\t''"
complete -c auditlog -n "__fish_auditlog_using_subcommand recent" -l compress-grace -d 'With compress, gzip a closed tool-log file only once its last entry is at least this many seconds old, so that a log shipper following the plain file (rsyslog\'s imfile) that is behind or stopped for a while still reads it whole; 0 compresses as soon as the file is closed [default: tool_log.compress_grace in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand recent" -l redact-key -d 'Also treat keys containing WORD as secrets (repeatable), besides the built-in ones: keys containing password, passwd, passphrase, secret, token, apikey, accesskey, privatekey, authorization, bearer, cookie, session or credential, keys with a word pass, pwd, auth, dsn, sig or signature, and most keys whose last word is key (see docs/security.md); compared without case, - or _' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand recent" -l sync -d 'When appended entries are flushed to disk: `never` (the OS writes them back; an acknowledged entry survives a crash of the writer but not a power loss), `batch` (one fdatasync shared by concurrent writers before they return), `always` (one fdatasync per entry) [default: never]' -r -f -a "never\t''
batch\t''
always\t''"
complete -c auditlog -n "__fish_auditlog_using_subcommand recent" -l now -d 'Pretend the current time is this RFC 3339 instant (for tests and replays)' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand recent" -l skills -d 'Read the skill log (audit_log.json)'
complete -c auditlog -n "__fish_auditlog_using_subcommand recent" -l all-users -d 'Read every user\'s tool log, merged by time'
complete -c auditlog -n "__fish_auditlog_using_subcommand recent" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c auditlog -n "__fish_auditlog_using_subcommand stats" -l user -d 'Read this user\'s tool log' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand stats" -l skill -d 'Only runs of this skill (with --skills)' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand stats" -l tool -d 'Only calls of this tool (with --user or --all-users)' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand stats" -l status -d 'Only entries with this status (success, failed, ok, error, denied, ...)' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand stats" -l since -d 'Only entries at or after this time: RFC 3339 or a date (2025-10-23 = its UTC midnight)' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand stats" -l until -d 'Only entries before this time: RFC 3339 or a date' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand stats" -l days -d 'Only entries from today and the N-1 UTC days before (1 to 3660) [default: 7 for tool logs, unless --since is given; none for --skills]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand stats" -l format -d 'How to print the totals' -r -f -a "json\t'One JSON object: total, errors, error_rate, other, by_status, by_name, by_user, by_day'
table\t'Tables for a terminal'"
complete -c auditlog -n "__fish_auditlog_using_subcommand stats" -l dir -d 'The log directory; writes create it if missing, reads refuse a missing one' -r -F
complete -c auditlog -n "__fish_auditlog_using_subcommand stats" -l component -d 'Run this component file instead of the built-in one' -r -F
complete -c auditlog -n "__fish_auditlog_using_subcommand stats" -l timeout-ms -d 'Stop a call into the component that runs longer than this many milliseconds [default: 30000]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand stats" -l memory-limit-mb -d 'Stop a call that grows the component\'s memory beyond this many MiB [default: 256]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand stats" -l key-file -d 'Link entries with HMAC-SHA-256 under the key in this file (at least 16 bytes besides surrounding whitespace; outside the log directory, not reached through a symbolic link or hard link there; not readable by every user: `chmod 600`). Use the same key to verify; a keyed log refuses writes without it' -r -F
complete -c auditlog -n "__fish_auditlog_using_subcommand stats" -l max-entry-bytes -d 'Cut entries larger than this many bytes field by field (longest strings first) and mark them "truncated": true; an entry is never refused for its size alone [default: 102400]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand stats" -l max-file-bytes -d 'Roll a user\'s day file over into a new segment (YYYY-MM-DD.1.jsonl, .2.jsonl, ...) once it holds this many bytes; 0 turns it off [default: tool_log.max_file_bytes in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand stats" -l max-days -d 'Keep each user\'s tool log for its last N UTC days, today included, judged by the entries\' own timestamps; 0 keeps every day [default: tool_log.max_days in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand stats" -l max-user-bytes -d 'Keep at most this many bytes of tool-log files per user, deleting the oldest files first; 0 is no bound [default: tool_log.max_user_bytes in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand stats" -l compress -d 'Gzip closed tool-log files (a segment once the next one starts, a day\'s last file once that day is two days past): true or false [default: tool_log.compress in DIR/auditlog.toml, else false]' -r -f -a "true\t''
false\t''"
complete -c auditlog -n "__fish_auditlog_using_subcommand stats" -l compress-grace -d 'With compress, gzip a closed tool-log file only once its last entry is at least this many seconds old, so that a log shipper following the plain file (rsyslog\'s imfile) that is behind or stopped for a while still reads it whole; 0 compresses as soon as the file is closed [default: tool_log.compress_grace in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand stats" -l redact-key -d 'Also treat keys containing WORD as secrets (repeatable), besides the built-in ones: keys containing password, passwd, passphrase, secret, token, apikey, accesskey, privatekey, authorization, bearer, cookie, session or credential, keys with a word pass, pwd, auth, dsn, sig or signature, and most keys whose last word is key (see docs/security.md); compared without case, - or _' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand stats" -l sync -d 'When appended entries are flushed to disk: `never` (the OS writes them back; an acknowledged entry survives a crash of the writer but not a power loss), `batch` (one fdatasync shared by concurrent writers before they return), `always` (one fdatasync per entry) [default: never]' -r -f -a "never\t''
batch\t''
always\t''"
complete -c auditlog -n "__fish_auditlog_using_subcommand stats" -l now -d 'Pretend the current time is this RFC 3339 instant (for tests and replays)' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand stats" -l skills -d 'Read the skill log (audit_log.json)'
complete -c auditlog -n "__fish_auditlog_using_subcommand stats" -l all-users -d 'Read every user\'s tool log, merged by time'
complete -c auditlog -n "__fish_auditlog_using_subcommand stats" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c auditlog -n "__fish_auditlog_using_subcommand serve" -l listen -d 'Listen on this IP address and port (port 0 picks a free one)' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand serve" -l admin-token-file -d 'File holding the admin token, which reads every log' -r -F
complete -c auditlog -n "__fish_auditlog_using_subcommand serve" -l user-tokens-file -d 'JSON file mapping user names to tokens that read only that user\'s tool log' -r -F
complete -c auditlog -n "__fish_auditlog_using_subcommand serve" -l header-timeout -d 'Seconds a client has, from connecting, to send its request line and headers (0.001 to 3600); a slower one gets 408 and is disconnected' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand serve" -l request-timeout -d 'Seconds a connection may last, from connecting to the end of its answer (0.001 to 3600); it is closed then, whatever it is doing' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand serve" -l max-connections -d 'Connections open at once (1 to 65536); keep it well below the open-file limit (`ulimit -n`). When all are taken, the oldest one still sending its head is closed to make room; when all serve requests, a new one gets 503' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand serve" -l dir -d 'The log directory; writes create it if missing, reads refuse a missing one' -r -F
complete -c auditlog -n "__fish_auditlog_using_subcommand serve" -l component -d 'Run this component file instead of the built-in one' -r -F
complete -c auditlog -n "__fish_auditlog_using_subcommand serve" -l timeout-ms -d 'Stop a call into the component that runs longer than this many milliseconds [default: 30000]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand serve" -l memory-limit-mb -d 'Stop a call that grows the component\'s memory beyond this many MiB [default: 256]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand serve" -l key-file -d 'Link entries with HMAC-SHA-256 under the key in this file (at least 16 bytes besides surrounding whitespace; outside the log directory, not reached through a symbolic link or hard link there; not readable by every user: `chmod 600`). Use the same key to verify; a keyed log refuses writes without it' -r -F
complete -c auditlog -n "__fish_auditlog_using_subcommand serve" -l max-entry-bytes -d 'Cut entries larger than this many bytes field by field (longest strings first) and mark them "truncated": true; an entry is never refused for its size alone [default: 102400]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand serve" -l max-file-bytes -d 'Roll a user\'s day file over into a new segment (YYYY-MM-DD.1.jsonl, .2.jsonl, ...) once it holds this many bytes; 0 turns it off [default: tool_log.max_file_bytes in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand serve" -l max-days -d 'Keep each user\'s tool log for its last N UTC days, today included, judged by the entries\' own timestamps; 0 keeps every day [default: tool_log.max_days in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand serve" -l max-user-bytes -d 'Keep at most this many bytes of tool-log files per user, deleting the oldest files first; 0 is no bound [default: tool_log.max_user_bytes in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand serve" -l compress -d 'Gzip closed tool-log files (a segment once the next one starts, a day\'s last file once that day is two days past): true or false [default: tool_log.compress in DIR/auditlog.toml, else false]' -r -f -a "true\t''
false\t''"
complete -c auditlog -n "__fish_auditlog_using_subcommand serve" -l compress-grace -d 'With compress, gzip a closed tool-log file only once its last entry is at least this many seconds old, so that a log shipper following the plain file (rsyslog\'s imfile) that is behind or stopped for a while still reads it whole; 0 compresses as soon as the file is closed [default: tool_log.compress_grace in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand serve" -l redact-key -d 'Also treat keys containing WORD as secrets (repeatable), besides the built-in ones: keys containing password, passwd, passphrase, secret, token, apikey, accesskey, privatekey, authorization, bearer, cookie, session or credential, keys with a word pass, pwd, auth, dsn, sig or signature, and most keys whose last word is key (see docs/security.md); compared without case, - or _' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand serve" -l sync -d 'When appended entries are flushed to disk: `never` (the OS writes them back; an acknowledged entry survives a crash of the writer but not a power loss), `batch` (one fdatasync shared by concurrent writers before they return), `always` (one fdatasync per entry) [default: never]' -r -f -a "never\t''
batch\t''
always\t''"
complete -c auditlog -n "__fish_auditlog_using_subcommand serve" -l now -d 'Pretend the current time is this RFC 3339 instant (for tests and replays)' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand serve" -s h -l help -d 'Print help'
complete -c auditlog -n "__fish_auditlog_using_subcommand verify" -l user -d 'Only this user\'s tool log' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand verify" -l checkpoint -d 'A file outside the log directory holding where each log ended last time; checked, then updated' -r -F
complete -c auditlog -n "__fish_auditlog_using_subcommand verify" -l dir -d 'The log directory; writes create it if missing, reads refuse a missing one' -r -F
complete -c auditlog -n "__fish_auditlog_using_subcommand verify" -l component -d 'Run this component file instead of the built-in one' -r -F
complete -c auditlog -n "__fish_auditlog_using_subcommand verify" -l timeout-ms -d 'Stop a call into the component that runs longer than this many milliseconds [default: 30000]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand verify" -l memory-limit-mb -d 'Stop a call that grows the component\'s memory beyond this many MiB [default: 256]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand verify" -l key-file -d 'Link entries with HMAC-SHA-256 under the key in this file (at least 16 bytes besides surrounding whitespace; outside the log directory, not reached through a symbolic link or hard link there; not readable by every user: `chmod 600`). Use the same key to verify; a keyed log refuses writes without it' -r -F
complete -c auditlog -n "__fish_auditlog_using_subcommand verify" -l max-entry-bytes -d 'Cut entries larger than this many bytes field by field (longest strings first) and mark them "truncated": true; an entry is never refused for its size alone [default: 102400]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand verify" -l max-file-bytes -d 'Roll a user\'s day file over into a new segment (YYYY-MM-DD.1.jsonl, .2.jsonl, ...) once it holds this many bytes; 0 turns it off [default: tool_log.max_file_bytes in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand verify" -l max-days -d 'Keep each user\'s tool log for its last N UTC days, today included, judged by the entries\' own timestamps; 0 keeps every day [default: tool_log.max_days in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand verify" -l max-user-bytes -d 'Keep at most this many bytes of tool-log files per user, deleting the oldest files first; 0 is no bound [default: tool_log.max_user_bytes in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand verify" -l compress -d 'Gzip closed tool-log files (a segment once the next one starts, a day\'s last file once that day is two days past): true or false [default: tool_log.compress in DIR/auditlog.toml, else false]' -r -f -a "true\t''
false\t''"
complete -c auditlog -n "__fish_auditlog_using_subcommand verify" -l compress-grace -d 'With compress, gzip a closed tool-log file only once its last entry is at least this many seconds old, so that a log shipper following the plain file (rsyslog\'s imfile) that is behind or stopped for a while still reads it whole; 0 compresses as soon as the file is closed [default: tool_log.compress_grace in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand verify" -l redact-key -d 'Also treat keys containing WORD as secrets (repeatable), besides the built-in ones: keys containing password, passwd, passphrase, secret, token, apikey, accesskey, privatekey, authorization, bearer, cookie, session or credential, keys with a word pass, pwd, auth, dsn, sig or signature, and most keys whose last word is key (see docs/security.md); compared without case, - or _' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand verify" -l sync -d 'When appended entries are flushed to disk: `never` (the OS writes them back; an acknowledged entry survives a crash of the writer but not a power loss), `batch` (one fdatasync shared by concurrent writers before they return), `always` (one fdatasync per entry) [default: never]' -r -f -a "never\t''
batch\t''
always\t''"
complete -c auditlog -n "__fish_auditlog_using_subcommand verify" -l now -d 'Pretend the current time is this RFC 3339 instant (for tests and replays)' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand verify" -l skills -d 'Only the skill log'
complete -c auditlog -n "__fish_auditlog_using_subcommand verify" -l all-users -d 'Only the users\' tool logs'
complete -c auditlog -n "__fish_auditlog_using_subcommand verify" -l require-seal -d 'Fail (exit 1) on entries without a seal that no `auditlog adopt` covers, instead of listing them: for logs no other writer may write any more, where such an entry is a forgery until shown otherwise'
complete -c auditlog -n "__fish_auditlog_using_subcommand verify" -s h -l help -d 'Print help'
complete -c auditlog -n "__fish_auditlog_using_subcommand repair" -l user -d 'Only this user\'s tool log' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand repair" -l format -d 'Output: `text`, one line per repaired file; `json`, an array of repairs' -r -f -a "text\t''
json\t''"
complete -c auditlog -n "__fish_auditlog_using_subcommand repair" -l dir -d 'The log directory; writes create it if missing, reads refuse a missing one' -r -F
complete -c auditlog -n "__fish_auditlog_using_subcommand repair" -l component -d 'Run this component file instead of the built-in one' -r -F
complete -c auditlog -n "__fish_auditlog_using_subcommand repair" -l timeout-ms -d 'Stop a call into the component that runs longer than this many milliseconds [default: 30000]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand repair" -l memory-limit-mb -d 'Stop a call that grows the component\'s memory beyond this many MiB [default: 256]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand repair" -l key-file -d 'Link entries with HMAC-SHA-256 under the key in this file (at least 16 bytes besides surrounding whitespace; outside the log directory, not reached through a symbolic link or hard link there; not readable by every user: `chmod 600`). Use the same key to verify; a keyed log refuses writes without it' -r -F
complete -c auditlog -n "__fish_auditlog_using_subcommand repair" -l max-entry-bytes -d 'Cut entries larger than this many bytes field by field (longest strings first) and mark them "truncated": true; an entry is never refused for its size alone [default: 102400]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand repair" -l max-file-bytes -d 'Roll a user\'s day file over into a new segment (YYYY-MM-DD.1.jsonl, .2.jsonl, ...) once it holds this many bytes; 0 turns it off [default: tool_log.max_file_bytes in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand repair" -l max-days -d 'Keep each user\'s tool log for its last N UTC days, today included, judged by the entries\' own timestamps; 0 keeps every day [default: tool_log.max_days in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand repair" -l max-user-bytes -d 'Keep at most this many bytes of tool-log files per user, deleting the oldest files first; 0 is no bound [default: tool_log.max_user_bytes in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand repair" -l compress -d 'Gzip closed tool-log files (a segment once the next one starts, a day\'s last file once that day is two days past): true or false [default: tool_log.compress in DIR/auditlog.toml, else false]' -r -f -a "true\t''
false\t''"
complete -c auditlog -n "__fish_auditlog_using_subcommand repair" -l compress-grace -d 'With compress, gzip a closed tool-log file only once its last entry is at least this many seconds old, so that a log shipper following the plain file (rsyslog\'s imfile) that is behind or stopped for a while still reads it whole; 0 compresses as soon as the file is closed [default: tool_log.compress_grace in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand repair" -l redact-key -d 'Also treat keys containing WORD as secrets (repeatable), besides the built-in ones: keys containing password, passwd, passphrase, secret, token, apikey, accesskey, privatekey, authorization, bearer, cookie, session or credential, keys with a word pass, pwd, auth, dsn, sig or signature, and most keys whose last word is key (see docs/security.md); compared without case, - or _' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand repair" -l sync -d 'When appended entries are flushed to disk: `never` (the OS writes them back; an acknowledged entry survives a crash of the writer but not a power loss), `batch` (one fdatasync shared by concurrent writers before they return), `always` (one fdatasync per entry) [default: never]' -r -f -a "never\t''
batch\t''
always\t''"
complete -c auditlog -n "__fish_auditlog_using_subcommand repair" -l now -d 'Pretend the current time is this RFC 3339 instant (for tests and replays)' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand repair" -l skills -d 'Only the skill log'
complete -c auditlog -n "__fish_auditlog_using_subcommand repair" -l all-users -d 'Only the users\' tool logs'
complete -c auditlog -n "__fish_auditlog_using_subcommand repair" -s h -l help -d 'Print help'
complete -c auditlog -n "__fish_auditlog_using_subcommand adopt" -l user -d 'Only this user\'s tool log' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand adopt" -l dir -d 'The log directory; writes create it if missing, reads refuse a missing one' -r -F
complete -c auditlog -n "__fish_auditlog_using_subcommand adopt" -l component -d 'Run this component file instead of the built-in one' -r -F
complete -c auditlog -n "__fish_auditlog_using_subcommand adopt" -l timeout-ms -d 'Stop a call into the component that runs longer than this many milliseconds [default: 30000]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand adopt" -l memory-limit-mb -d 'Stop a call that grows the component\'s memory beyond this many MiB [default: 256]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand adopt" -l key-file -d 'Link entries with HMAC-SHA-256 under the key in this file (at least 16 bytes besides surrounding whitespace; outside the log directory, not reached through a symbolic link or hard link there; not readable by every user: `chmod 600`). Use the same key to verify; a keyed log refuses writes without it' -r -F
complete -c auditlog -n "__fish_auditlog_using_subcommand adopt" -l max-entry-bytes -d 'Cut entries larger than this many bytes field by field (longest strings first) and mark them "truncated": true; an entry is never refused for its size alone [default: 102400]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand adopt" -l max-file-bytes -d 'Roll a user\'s day file over into a new segment (YYYY-MM-DD.1.jsonl, .2.jsonl, ...) once it holds this many bytes; 0 turns it off [default: tool_log.max_file_bytes in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand adopt" -l max-days -d 'Keep each user\'s tool log for its last N UTC days, today included, judged by the entries\' own timestamps; 0 keeps every day [default: tool_log.max_days in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand adopt" -l max-user-bytes -d 'Keep at most this many bytes of tool-log files per user, deleting the oldest files first; 0 is no bound [default: tool_log.max_user_bytes in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand adopt" -l compress -d 'Gzip closed tool-log files (a segment once the next one starts, a day\'s last file once that day is two days past): true or false [default: tool_log.compress in DIR/auditlog.toml, else false]' -r -f -a "true\t''
false\t''"
complete -c auditlog -n "__fish_auditlog_using_subcommand adopt" -l compress-grace -d 'With compress, gzip a closed tool-log file only once its last entry is at least this many seconds old, so that a log shipper following the plain file (rsyslog\'s imfile) that is behind or stopped for a while still reads it whole; 0 compresses as soon as the file is closed [default: tool_log.compress_grace in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand adopt" -l redact-key -d 'Also treat keys containing WORD as secrets (repeatable), besides the built-in ones: keys containing password, passwd, passphrase, secret, token, apikey, accesskey, privatekey, authorization, bearer, cookie, session or credential, keys with a word pass, pwd, auth, dsn, sig or signature, and most keys whose last word is key (see docs/security.md); compared without case, - or _' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand adopt" -l sync -d 'When appended entries are flushed to disk: `never` (the OS writes them back; an acknowledged entry survives a crash of the writer but not a power loss), `batch` (one fdatasync shared by concurrent writers before they return), `always` (one fdatasync per entry) [default: never]' -r -f -a "never\t''
batch\t''
always\t''"
complete -c auditlog -n "__fish_auditlog_using_subcommand adopt" -l now -d 'Pretend the current time is this RFC 3339 instant (for tests and replays)' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand adopt" -l skills -d 'Only the skill log'
complete -c auditlog -n "__fish_auditlog_using_subcommand adopt" -l all-users -d 'Only the users\' tool logs'
complete -c auditlog -n "__fish_auditlog_using_subcommand adopt" -s h -l help -d 'Print help'
complete -c auditlog -n "__fish_auditlog_using_subcommand rotate" -l user -d 'Only this user\'s tool log' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand rotate" -l format -d 'Output: `text`, one line per file changed; `json`, an array of {"file", "action", "bytes"}' -r -f -a "text\t''
json\t''"
complete -c auditlog -n "__fish_auditlog_using_subcommand rotate" -l dir -d 'The log directory; writes create it if missing, reads refuse a missing one' -r -F
complete -c auditlog -n "__fish_auditlog_using_subcommand rotate" -l component -d 'Run this component file instead of the built-in one' -r -F
complete -c auditlog -n "__fish_auditlog_using_subcommand rotate" -l timeout-ms -d 'Stop a call into the component that runs longer than this many milliseconds [default: 30000]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand rotate" -l memory-limit-mb -d 'Stop a call that grows the component\'s memory beyond this many MiB [default: 256]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand rotate" -l key-file -d 'Link entries with HMAC-SHA-256 under the key in this file (at least 16 bytes besides surrounding whitespace; outside the log directory, not reached through a symbolic link or hard link there; not readable by every user: `chmod 600`). Use the same key to verify; a keyed log refuses writes without it' -r -F
complete -c auditlog -n "__fish_auditlog_using_subcommand rotate" -l max-entry-bytes -d 'Cut entries larger than this many bytes field by field (longest strings first) and mark them "truncated": true; an entry is never refused for its size alone [default: 102400]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand rotate" -l max-file-bytes -d 'Roll a user\'s day file over into a new segment (YYYY-MM-DD.1.jsonl, .2.jsonl, ...) once it holds this many bytes; 0 turns it off [default: tool_log.max_file_bytes in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand rotate" -l max-days -d 'Keep each user\'s tool log for its last N UTC days, today included, judged by the entries\' own timestamps; 0 keeps every day [default: tool_log.max_days in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand rotate" -l max-user-bytes -d 'Keep at most this many bytes of tool-log files per user, deleting the oldest files first; 0 is no bound [default: tool_log.max_user_bytes in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand rotate" -l compress -d 'Gzip closed tool-log files (a segment once the next one starts, a day\'s last file once that day is two days past): true or false [default: tool_log.compress in DIR/auditlog.toml, else false]' -r -f -a "true\t''
false\t''"
complete -c auditlog -n "__fish_auditlog_using_subcommand rotate" -l compress-grace -d 'With compress, gzip a closed tool-log file only once its last entry is at least this many seconds old, so that a log shipper following the plain file (rsyslog\'s imfile) that is behind or stopped for a while still reads it whole; 0 compresses as soon as the file is closed [default: tool_log.compress_grace in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand rotate" -l redact-key -d 'Also treat keys containing WORD as secrets (repeatable), besides the built-in ones: keys containing password, passwd, passphrase, secret, token, apikey, accesskey, privatekey, authorization, bearer, cookie, session or credential, keys with a word pass, pwd, auth, dsn, sig or signature, and most keys whose last word is key (see docs/security.md); compared without case, - or _' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand rotate" -l sync -d 'When appended entries are flushed to disk: `never` (the OS writes them back; an acknowledged entry survives a crash of the writer but not a power loss), `batch` (one fdatasync shared by concurrent writers before they return), `always` (one fdatasync per entry) [default: never]' -r -f -a "never\t''
batch\t''
always\t''"
complete -c auditlog -n "__fish_auditlog_using_subcommand rotate" -l now -d 'Pretend the current time is this RFC 3339 instant (for tests and replays)' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand rotate" -l all-users -d 'Every user\'s tool log (the default)'
complete -c auditlog -n "__fish_auditlog_using_subcommand rotate" -s h -l help -d 'Print help'
complete -c auditlog -n "__fish_auditlog_using_subcommand config; and not __fish_seen_subcommand_from show help" -l dir -d 'The log directory; writes create it if missing, reads refuse a missing one' -r -F
complete -c auditlog -n "__fish_auditlog_using_subcommand config; and not __fish_seen_subcommand_from show help" -l component -d 'Run this component file instead of the built-in one' -r -F
complete -c auditlog -n "__fish_auditlog_using_subcommand config; and not __fish_seen_subcommand_from show help" -l timeout-ms -d 'Stop a call into the component that runs longer than this many milliseconds [default: 30000]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand config; and not __fish_seen_subcommand_from show help" -l memory-limit-mb -d 'Stop a call that grows the component\'s memory beyond this many MiB [default: 256]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand config; and not __fish_seen_subcommand_from show help" -l key-file -d 'Link entries with HMAC-SHA-256 under the key in this file (at least 16 bytes besides surrounding whitespace; outside the log directory, not reached through a symbolic link or hard link there; not readable by every user: `chmod 600`). Use the same key to verify; a keyed log refuses writes without it' -r -F
complete -c auditlog -n "__fish_auditlog_using_subcommand config; and not __fish_seen_subcommand_from show help" -l max-entry-bytes -d 'Cut entries larger than this many bytes field by field (longest strings first) and mark them "truncated": true; an entry is never refused for its size alone [default: 102400]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand config; and not __fish_seen_subcommand_from show help" -l max-file-bytes -d 'Roll a user\'s day file over into a new segment (YYYY-MM-DD.1.jsonl, .2.jsonl, ...) once it holds this many bytes; 0 turns it off [default: tool_log.max_file_bytes in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand config; and not __fish_seen_subcommand_from show help" -l max-days -d 'Keep each user\'s tool log for its last N UTC days, today included, judged by the entries\' own timestamps; 0 keeps every day [default: tool_log.max_days in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand config; and not __fish_seen_subcommand_from show help" -l max-user-bytes -d 'Keep at most this many bytes of tool-log files per user, deleting the oldest files first; 0 is no bound [default: tool_log.max_user_bytes in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand config; and not __fish_seen_subcommand_from show help" -l compress -d 'Gzip closed tool-log files (a segment once the next one starts, a day\'s last file once that day is two days past): true or false [default: tool_log.compress in DIR/auditlog.toml, else false]' -r -f -a "true\t''
false\t''"
complete -c auditlog -n "__fish_auditlog_using_subcommand config; and not __fish_seen_subcommand_from show help" -l compress-grace -d 'With compress, gzip a closed tool-log file only once its last entry is at least this many seconds old, so that a log shipper following the plain file (rsyslog\'s imfile) that is behind or stopped for a while still reads it whole; 0 compresses as soon as the file is closed [default: tool_log.compress_grace in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand config; and not __fish_seen_subcommand_from show help" -l redact-key -d 'Also treat keys containing WORD as secrets (repeatable), besides the built-in ones: keys containing password, passwd, passphrase, secret, token, apikey, accesskey, privatekey, authorization, bearer, cookie, session or credential, keys with a word pass, pwd, auth, dsn, sig or signature, and most keys whose last word is key (see docs/security.md); compared without case, - or _' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand config; and not __fish_seen_subcommand_from show help" -l sync -d 'When appended entries are flushed to disk: `never` (the OS writes them back; an acknowledged entry survives a crash of the writer but not a power loss), `batch` (one fdatasync shared by concurrent writers before they return), `always` (one fdatasync per entry) [default: never]' -r -f -a "never\t''
batch\t''
always\t''"
complete -c auditlog -n "__fish_auditlog_using_subcommand config; and not __fish_seen_subcommand_from show help" -l now -d 'Pretend the current time is this RFC 3339 instant (for tests and replays)' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand config; and not __fish_seen_subcommand_from show help" -s h -l help -d 'Print help'
complete -c auditlog -n "__fish_auditlog_using_subcommand config; and not __fish_seen_subcommand_from show help" -f -a "show" -d 'Print the rotation policy in force: each value and where it came from (default, DIR/auditlog.toml, a flag or an environment variable)'
complete -c auditlog -n "__fish_auditlog_using_subcommand config; and not __fish_seen_subcommand_from show help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c auditlog -n "__fish_auditlog_using_subcommand config; and __fish_seen_subcommand_from show" -l format -d 'Output: `toml`, the policy as an auditlog.toml with each value\'s origin in a comment; `json`, each value as {"value", "from"}' -r -f -a "toml\t''
json\t''"
complete -c auditlog -n "__fish_auditlog_using_subcommand config; and __fish_seen_subcommand_from show" -l dir -d 'The log directory; writes create it if missing, reads refuse a missing one' -r -F
complete -c auditlog -n "__fish_auditlog_using_subcommand config; and __fish_seen_subcommand_from show" -l component -d 'Run this component file instead of the built-in one' -r -F
complete -c auditlog -n "__fish_auditlog_using_subcommand config; and __fish_seen_subcommand_from show" -l timeout-ms -d 'Stop a call into the component that runs longer than this many milliseconds [default: 30000]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand config; and __fish_seen_subcommand_from show" -l memory-limit-mb -d 'Stop a call that grows the component\'s memory beyond this many MiB [default: 256]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand config; and __fish_seen_subcommand_from show" -l key-file -d 'Link entries with HMAC-SHA-256 under the key in this file (at least 16 bytes besides surrounding whitespace; outside the log directory, not reached through a symbolic link or hard link there; not readable by every user: `chmod 600`). Use the same key to verify; a keyed log refuses writes without it' -r -F
complete -c auditlog -n "__fish_auditlog_using_subcommand config; and __fish_seen_subcommand_from show" -l max-entry-bytes -d 'Cut entries larger than this many bytes field by field (longest strings first) and mark them "truncated": true; an entry is never refused for its size alone [default: 102400]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand config; and __fish_seen_subcommand_from show" -l max-file-bytes -d 'Roll a user\'s day file over into a new segment (YYYY-MM-DD.1.jsonl, .2.jsonl, ...) once it holds this many bytes; 0 turns it off [default: tool_log.max_file_bytes in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand config; and __fish_seen_subcommand_from show" -l max-days -d 'Keep each user\'s tool log for its last N UTC days, today included, judged by the entries\' own timestamps; 0 keeps every day [default: tool_log.max_days in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand config; and __fish_seen_subcommand_from show" -l max-user-bytes -d 'Keep at most this many bytes of tool-log files per user, deleting the oldest files first; 0 is no bound [default: tool_log.max_user_bytes in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand config; and __fish_seen_subcommand_from show" -l compress -d 'Gzip closed tool-log files (a segment once the next one starts, a day\'s last file once that day is two days past): true or false [default: tool_log.compress in DIR/auditlog.toml, else false]' -r -f -a "true\t''
false\t''"
complete -c auditlog -n "__fish_auditlog_using_subcommand config; and __fish_seen_subcommand_from show" -l compress-grace -d 'With compress, gzip a closed tool-log file only once its last entry is at least this many seconds old, so that a log shipper following the plain file (rsyslog\'s imfile) that is behind or stopped for a while still reads it whole; 0 compresses as soon as the file is closed [default: tool_log.compress_grace in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand config; and __fish_seen_subcommand_from show" -l redact-key -d 'Also treat keys containing WORD as secrets (repeatable), besides the built-in ones: keys containing password, passwd, passphrase, secret, token, apikey, accesskey, privatekey, authorization, bearer, cookie, session or credential, keys with a word pass, pwd, auth, dsn, sig or signature, and most keys whose last word is key (see docs/security.md); compared without case, - or _' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand config; and __fish_seen_subcommand_from show" -l sync -d 'When appended entries are flushed to disk: `never` (the OS writes them back; an acknowledged entry survives a crash of the writer but not a power loss), `batch` (one fdatasync shared by concurrent writers before they return), `always` (one fdatasync per entry) [default: never]' -r -f -a "never\t''
batch\t''
always\t''"
complete -c auditlog -n "__fish_auditlog_using_subcommand config; and __fish_seen_subcommand_from show" -l now -d 'Pretend the current time is this RFC 3339 instant (for tests and replays)' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand config; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c auditlog -n "__fish_auditlog_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print the rotation policy in force: each value and where it came from (default, DIR/auditlog.toml, a flag or an environment variable)'
complete -c auditlog -n "__fish_auditlog_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c auditlog -n "__fish_auditlog_using_subcommand run-skill" -l user -d 'The user the skill runs for' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand run-skill" -l name -d 'The skill\'s name in the log [default: the file\'s name without .wasm]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand run-skill" -l dir -d 'The log directory; writes create it if missing, reads refuse a missing one' -r -F
complete -c auditlog -n "__fish_auditlog_using_subcommand run-skill" -l component -d 'Run this component file instead of the built-in one' -r -F
complete -c auditlog -n "__fish_auditlog_using_subcommand run-skill" -l timeout-ms -d 'Stop a call into the component that runs longer than this many milliseconds [default: 30000]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand run-skill" -l memory-limit-mb -d 'Stop a call that grows the component\'s memory beyond this many MiB [default: 256]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand run-skill" -l key-file -d 'Link entries with HMAC-SHA-256 under the key in this file (at least 16 bytes besides surrounding whitespace; outside the log directory, not reached through a symbolic link or hard link there; not readable by every user: `chmod 600`). Use the same key to verify; a keyed log refuses writes without it' -r -F
complete -c auditlog -n "__fish_auditlog_using_subcommand run-skill" -l max-entry-bytes -d 'Cut entries larger than this many bytes field by field (longest strings first) and mark them "truncated": true; an entry is never refused for its size alone [default: 102400]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand run-skill" -l max-file-bytes -d 'Roll a user\'s day file over into a new segment (YYYY-MM-DD.1.jsonl, .2.jsonl, ...) once it holds this many bytes; 0 turns it off [default: tool_log.max_file_bytes in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand run-skill" -l max-days -d 'Keep each user\'s tool log for its last N UTC days, today included, judged by the entries\' own timestamps; 0 keeps every day [default: tool_log.max_days in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand run-skill" -l max-user-bytes -d 'Keep at most this many bytes of tool-log files per user, deleting the oldest files first; 0 is no bound [default: tool_log.max_user_bytes in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand run-skill" -l compress -d 'Gzip closed tool-log files (a segment once the next one starts, a day\'s last file once that day is two days past): true or false [default: tool_log.compress in DIR/auditlog.toml, else false]' -r -f -a "true\t''
false\t''"
complete -c auditlog -n "__fish_auditlog_using_subcommand run-skill" -l compress-grace -d 'With compress, gzip a closed tool-log file only once its last entry is at least this many seconds old, so that a log shipper following the plain file (rsyslog\'s imfile) that is behind or stopped for a while still reads it whole; 0 compresses as soon as the file is closed [default: tool_log.compress_grace in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand run-skill" -l redact-key -d 'Also treat keys containing WORD as secrets (repeatable), besides the built-in ones: keys containing password, passwd, passphrase, secret, token, apikey, accesskey, privatekey, authorization, bearer, cookie, session or credential, keys with a word pass, pwd, auth, dsn, sig or signature, and most keys whose last word is key (see docs/security.md); compared without case, - or _' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand run-skill" -l sync -d 'When appended entries are flushed to disk: `never` (the OS writes them back; an acknowledged entry survives a crash of the writer but not a power loss), `batch` (one fdatasync shared by concurrent writers before they return), `always` (one fdatasync per entry) [default: never]' -r -f -a "never\t''
batch\t''
always\t''"
complete -c auditlog -n "__fish_auditlog_using_subcommand run-skill" -l now -d 'Pretend the current time is this RFC 3339 instant (for tests and replays)' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand run-skill" -s h -l help -d 'Print help'
complete -c auditlog -n "__fish_auditlog_using_subcommand component" -l out -d 'Where to write it' -r -F
complete -c auditlog -n "__fish_auditlog_using_subcommand component" -l dir -d 'The log directory; writes create it if missing, reads refuse a missing one' -r -F
complete -c auditlog -n "__fish_auditlog_using_subcommand component" -l component -d 'Run this component file instead of the built-in one' -r -F
complete -c auditlog -n "__fish_auditlog_using_subcommand component" -l timeout-ms -d 'Stop a call into the component that runs longer than this many milliseconds [default: 30000]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand component" -l memory-limit-mb -d 'Stop a call that grows the component\'s memory beyond this many MiB [default: 256]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand component" -l key-file -d 'Link entries with HMAC-SHA-256 under the key in this file (at least 16 bytes besides surrounding whitespace; outside the log directory, not reached through a symbolic link or hard link there; not readable by every user: `chmod 600`). Use the same key to verify; a keyed log refuses writes without it' -r -F
complete -c auditlog -n "__fish_auditlog_using_subcommand component" -l max-entry-bytes -d 'Cut entries larger than this many bytes field by field (longest strings first) and mark them "truncated": true; an entry is never refused for its size alone [default: 102400]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand component" -l max-file-bytes -d 'Roll a user\'s day file over into a new segment (YYYY-MM-DD.1.jsonl, .2.jsonl, ...) once it holds this many bytes; 0 turns it off [default: tool_log.max_file_bytes in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand component" -l max-days -d 'Keep each user\'s tool log for its last N UTC days, today included, judged by the entries\' own timestamps; 0 keeps every day [default: tool_log.max_days in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand component" -l max-user-bytes -d 'Keep at most this many bytes of tool-log files per user, deleting the oldest files first; 0 is no bound [default: tool_log.max_user_bytes in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand component" -l compress -d 'Gzip closed tool-log files (a segment once the next one starts, a day\'s last file once that day is two days past): true or false [default: tool_log.compress in DIR/auditlog.toml, else false]' -r -f -a "true\t''
false\t''"
complete -c auditlog -n "__fish_auditlog_using_subcommand component" -l compress-grace -d 'With compress, gzip a closed tool-log file only once its last entry is at least this many seconds old, so that a log shipper following the plain file (rsyslog\'s imfile) that is behind or stopped for a while still reads it whole; 0 compresses as soon as the file is closed [default: tool_log.compress_grace in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand component" -l redact-key -d 'Also treat keys containing WORD as secrets (repeatable), besides the built-in ones: keys containing password, passwd, passphrase, secret, token, apikey, accesskey, privatekey, authorization, bearer, cookie, session or credential, keys with a word pass, pwd, auth, dsn, sig or signature, and most keys whose last word is key (see docs/security.md); compared without case, - or _' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand component" -l sync -d 'When appended entries are flushed to disk: `never` (the OS writes them back; an acknowledged entry survives a crash of the writer but not a power loss), `batch` (one fdatasync shared by concurrent writers before they return), `always` (one fdatasync per entry) [default: never]' -r -f -a "never\t''
batch\t''
always\t''"
complete -c auditlog -n "__fish_auditlog_using_subcommand component" -l now -d 'Pretend the current time is this RFC 3339 instant (for tests and replays)' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand component" -l portable -d 'Write the portable component instead: it imports nothing but WASI 0.2 and also runs as a command (`wasmtime run --dir LOGS::/ FILE record ...`)'
complete -c auditlog -n "__fish_auditlog_using_subcommand component" -s h -l help -d 'Print help'
complete -c auditlog -n "__fish_auditlog_using_subcommand generate" -l out-dir -d 'Write every kind instead, each to its place under DIR (`docs/` in the repository): cli-reference.md, man/auditlog.1, completions/' -r -F
complete -c auditlog -n "__fish_auditlog_using_subcommand generate" -l dir -d 'The log directory; writes create it if missing, reads refuse a missing one' -r -F
complete -c auditlog -n "__fish_auditlog_using_subcommand generate" -l component -d 'Run this component file instead of the built-in one' -r -F
complete -c auditlog -n "__fish_auditlog_using_subcommand generate" -l timeout-ms -d 'Stop a call into the component that runs longer than this many milliseconds [default: 30000]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand generate" -l memory-limit-mb -d 'Stop a call that grows the component\'s memory beyond this many MiB [default: 256]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand generate" -l key-file -d 'Link entries with HMAC-SHA-256 under the key in this file (at least 16 bytes besides surrounding whitespace; outside the log directory, not reached through a symbolic link or hard link there; not readable by every user: `chmod 600`). Use the same key to verify; a keyed log refuses writes without it' -r -F
complete -c auditlog -n "__fish_auditlog_using_subcommand generate" -l max-entry-bytes -d 'Cut entries larger than this many bytes field by field (longest strings first) and mark them "truncated": true; an entry is never refused for its size alone [default: 102400]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand generate" -l max-file-bytes -d 'Roll a user\'s day file over into a new segment (YYYY-MM-DD.1.jsonl, .2.jsonl, ...) once it holds this many bytes; 0 turns it off [default: tool_log.max_file_bytes in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand generate" -l max-days -d 'Keep each user\'s tool log for its last N UTC days, today included, judged by the entries\' own timestamps; 0 keeps every day [default: tool_log.max_days in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand generate" -l max-user-bytes -d 'Keep at most this many bytes of tool-log files per user, deleting the oldest files first; 0 is no bound [default: tool_log.max_user_bytes in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand generate" -l compress -d 'Gzip closed tool-log files (a segment once the next one starts, a day\'s last file once that day is two days past): true or false [default: tool_log.compress in DIR/auditlog.toml, else false]' -r -f -a "true\t''
false\t''"
complete -c auditlog -n "__fish_auditlog_using_subcommand generate" -l compress-grace -d 'With compress, gzip a closed tool-log file only once its last entry is at least this many seconds old, so that a log shipper following the plain file (rsyslog\'s imfile) that is behind or stopped for a while still reads it whole; 0 compresses as soon as the file is closed [default: tool_log.compress_grace in DIR/auditlog.toml, else 0]' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand generate" -l redact-key -d 'Also treat keys containing WORD as secrets (repeatable), besides the built-in ones: keys containing password, passwd, passphrase, secret, token, apikey, accesskey, privatekey, authorization, bearer, cookie, session or credential, keys with a word pass, pwd, auth, dsn, sig or signature, and most keys whose last word is key (see docs/security.md); compared without case, - or _' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand generate" -l sync -d 'When appended entries are flushed to disk: `never` (the OS writes them back; an acknowledged entry survives a crash of the writer but not a power loss), `batch` (one fdatasync shared by concurrent writers before they return), `always` (one fdatasync per entry) [default: never]' -r -f -a "never\t''
batch\t''
always\t''"
complete -c auditlog -n "__fish_auditlog_using_subcommand generate" -l now -d 'Pretend the current time is this RFC 3339 instant (for tests and replays)' -r
complete -c auditlog -n "__fish_auditlog_using_subcommand generate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c auditlog -n "__fish_auditlog_using_subcommand help; and not __fish_seen_subcommand_from record tool recent stats serve verify repair adopt rotate config run-skill component generate help" -f -a "record" -d 'Record one skill run in DIR/audit_log.json and print the seed\'s response JSON'
complete -c auditlog -n "__fish_auditlog_using_subcommand help; and not __fish_seen_subcommand_from record tool recent stats serve verify repair adopt rotate config run-skill component generate help" -f -a "tool" -d 'Record one tool call in DIR/USER/tool_audit/YYYY-MM-DD.jsonl (today, UTC)'
complete -c auditlog -n "__fish_auditlog_using_subcommand help; and not __fish_seen_subcommand_from record tool recent stats serve verify repair adopt rotate config run-skill component generate help" -f -a "recent" -d 'Show the newest entries of the skill log or of tool logs, newest first'
complete -c auditlog -n "__fish_auditlog_using_subcommand help; and not __fish_seen_subcommand_from record tool recent stats serve verify repair adopt rotate config run-skill component generate help" -f -a "stats" -d 'Show totals over the entries of a log: counts, error rate, durations'
complete -c auditlog -n "__fish_auditlog_using_subcommand help; and not __fish_seen_subcommand_from record tool recent stats serve verify repair adopt rotate config run-skill component generate help" -f -a "serve" -d 'Serve recent entries and stats read-only over HTTP as JSON, behind bearer tokens, and the admin console at `/`'
complete -c auditlog -n "__fish_auditlog_using_subcommand help; and not __fish_seen_subcommand_from record tool recent stats serve verify repair adopt rotate config run-skill component generate help" -f -a "verify" -d 'Check that no entry was modified, removed, inserted or reordered'
complete -c auditlog -n "__fish_auditlog_using_subcommand help; and not __fish_seen_subcommand_from record tool recent stats serve verify repair adopt rotate config run-skill component generate help" -f -a "repair" -d 'Find damaged log files; keep their intact entries and move the rest aside'
complete -c auditlog -n "__fish_auditlog_using_subcommand help; and not __fish_seen_subcommand_from record tool recent stats serve verify repair adopt rotate config run-skill component generate help" -f -a "adopt" -d 'Seal the legacy entries (written by another writer) the logs hold, so that verify proves them unchanged from now on'
complete -c auditlog -n "__fish_auditlog_using_subcommand help; and not __fish_seen_subcommand_from record tool recent stats serve verify repair adopt rotate config run-skill component generate help" -f -a "rotate" -d 'Apply the rotation policy now: compress closed tool-log files and delete what retention no longer keeps'
complete -c auditlog -n "__fish_auditlog_using_subcommand help; and not __fish_seen_subcommand_from record tool recent stats serve verify repair adopt rotate config run-skill component generate help" -f -a "config" -d 'Show or check the configuration'
complete -c auditlog -n "__fish_auditlog_using_subcommand help; and not __fish_seen_subcommand_from record tool recent stats serve verify repair adopt rotate config run-skill component generate help" -f -a "run-skill" -d 'Run a sandboxed skill component for a user and record the run'
complete -c auditlog -n "__fish_auditlog_using_subcommand help; and not __fish_seen_subcommand_from record tool recent stats serve verify repair adopt rotate config run-skill component generate help" -f -a "component" -d 'Write the built-in component (a WebAssembly component) to a file'
complete -c auditlog -n "__fish_auditlog_using_subcommand help; and not __fish_seen_subcommand_from record tool recent stats serve verify repair adopt rotate config run-skill component generate help" -f -a "generate" -d 'Print documentation generated from the command line\'s own definitions'
complete -c auditlog -n "__fish_auditlog_using_subcommand help; and not __fish_seen_subcommand_from record tool recent stats serve verify repair adopt rotate config run-skill component generate help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c auditlog -n "__fish_auditlog_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "show" -d 'Print the rotation policy in force: each value and where it came from (default, DIR/auditlog.toml, a flag or an environment variable)'
