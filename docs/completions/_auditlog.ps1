
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'auditlog' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'auditlog'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'auditlog' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The log directory; writes create it if missing, reads refuse a missing one')
            [CompletionResult]::new('--component', '--component', [CompletionResultType]::ParameterName, 'Run this component file instead of the built-in one')
            [CompletionResult]::new('--timeout-ms', '--timeout-ms', [CompletionResultType]::ParameterName, 'Stop a call into the component that runs longer than this many milliseconds [default: 30000]')
            [CompletionResult]::new('--memory-limit-mb', '--memory-limit-mb', [CompletionResultType]::ParameterName, 'Stop a call that grows the component''s memory beyond this many MiB [default: 256]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'Link entries with HMAC-SHA-256 under the key in this file (at least 16 bytes besides surrounding whitespace; outside the log directory, not reached through a symbolic link or hard link there; not readable by every user: `chmod 600`). Use the same key to verify; a keyed log refuses writes without it')
            [CompletionResult]::new('--max-entry-bytes', '--max-entry-bytes', [CompletionResultType]::ParameterName, 'Cut entries larger than this many bytes field by field (longest strings first) and mark them "truncated": true; an entry is never refused for its size alone [default: 102400]')
            [CompletionResult]::new('--max-file-bytes', '--max-file-bytes', [CompletionResultType]::ParameterName, 'Roll a user''s day file over into a new segment (YYYY-MM-DD.1.jsonl, .2.jsonl, ...) once it holds this many bytes; 0 turns it off [default: tool_log.max_file_bytes in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--max-days', '--max-days', [CompletionResultType]::ParameterName, 'Keep each user''s tool log for its last N UTC days, today included, judged by the entries'' own timestamps; 0 keeps every day [default: tool_log.max_days in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--max-user-bytes', '--max-user-bytes', [CompletionResultType]::ParameterName, 'Keep at most this many bytes of tool-log files per user, deleting the oldest files first; 0 is no bound [default: tool_log.max_user_bytes in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--compress', '--compress', [CompletionResultType]::ParameterName, 'Gzip closed tool-log files (a segment once the next one starts, a day''s last file once that day is two days past): true or false [default: tool_log.compress in DIR/auditlog.toml, else false]')
            [CompletionResult]::new('--compress-grace', '--compress-grace', [CompletionResultType]::ParameterName, 'With compress, gzip a closed tool-log file only once its last entry is at least this many seconds old, so that a log shipper following the plain file (rsyslog''s imfile) that is behind or stopped for a while still reads it whole; 0 compresses as soon as the file is closed [default: tool_log.compress_grace in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--redact-key', '--redact-key', [CompletionResultType]::ParameterName, 'Also treat keys containing WORD as secrets (repeatable), besides the built-in ones: keys containing password, passwd, passphrase, secret, token, apikey, accesskey, privatekey, authorization, bearer, cookie, session, credential, pincode or clientkeydata, keys with a word pass, pwd, auth, dsn, sig, signature, jwt, otp, totp, hotp, mfa, cvv, cvc or psk, most keys whose last word is key, and the word for password in other languages (passwort, пароль, 密码, …; see docs/security.md); compared without case, - or _')
            [CompletionResult]::new('--sync', '--sync', [CompletionResultType]::ParameterName, 'When appended entries are flushed to disk: `never` (the OS writes them back; an acknowledged entry survives a crash of the writer but not a power loss), `batch` (one fdatasync shared by concurrent writers before they return), `always` (one fdatasync per entry) [default: never]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('record', 'record', [CompletionResultType]::ParameterValue, 'Record one skill run in DIR/audit_log.json and print the seed''s response JSON')
            [CompletionResult]::new('tool', 'tool', [CompletionResultType]::ParameterValue, 'Record one tool call in DIR/USER/tool_audit/YYYY-MM-DD.jsonl (today, UTC)')
            [CompletionResult]::new('recent', 'recent', [CompletionResultType]::ParameterValue, 'Show the newest entries of the skill log or of tool logs, newest first')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Show totals over the entries of a log: counts, error rate, durations')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve recent entries and stats read-only over HTTP as JSON, behind bearer tokens, and the admin console at `/`')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check that no entry was modified, removed, inserted or reordered')
            [CompletionResult]::new('repair', 'repair', [CompletionResultType]::ParameterValue, 'Find damaged log files; keep their intact entries and move the rest aside')
            [CompletionResult]::new('adopt', 'adopt', [CompletionResultType]::ParameterValue, 'Seal the legacy entries (written by another writer) the logs hold, so that verify proves them unchanged from now on')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Apply the rotation policy now: compress closed tool-log files and delete what retention no longer keeps')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show the configuration: the rotation policy in force (`config show`)')
            [CompletionResult]::new('run-skill', 'run-skill', [CompletionResultType]::ParameterValue, 'Run a sandboxed skill component for a user and record the run')
            [CompletionResult]::new('component', 'component', [CompletionResultType]::ParameterValue, 'Write the built-in component (a WebAssembly component) to a file')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Print documentation generated from the command line''s own definitions')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'auditlog;record' {
            [CompletionResult]::new('--max-entries', '--max-entries', [CompletionResultType]::ParameterName, 'Keep at most N entries, dropping the oldest [default: skill_log.max_entries in DIR/auditlog.toml, else 10000]')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The log directory; writes create it if missing, reads refuse a missing one')
            [CompletionResult]::new('--component', '--component', [CompletionResultType]::ParameterName, 'Run this component file instead of the built-in one')
            [CompletionResult]::new('--timeout-ms', '--timeout-ms', [CompletionResultType]::ParameterName, 'Stop a call into the component that runs longer than this many milliseconds [default: 30000]')
            [CompletionResult]::new('--memory-limit-mb', '--memory-limit-mb', [CompletionResultType]::ParameterName, 'Stop a call that grows the component''s memory beyond this many MiB [default: 256]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'Link entries with HMAC-SHA-256 under the key in this file (at least 16 bytes besides surrounding whitespace; outside the log directory, not reached through a symbolic link or hard link there; not readable by every user: `chmod 600`). Use the same key to verify; a keyed log refuses writes without it')
            [CompletionResult]::new('--max-entry-bytes', '--max-entry-bytes', [CompletionResultType]::ParameterName, 'Cut entries larger than this many bytes field by field (longest strings first) and mark them "truncated": true; an entry is never refused for its size alone [default: 102400]')
            [CompletionResult]::new('--max-file-bytes', '--max-file-bytes', [CompletionResultType]::ParameterName, 'Roll a user''s day file over into a new segment (YYYY-MM-DD.1.jsonl, .2.jsonl, ...) once it holds this many bytes; 0 turns it off [default: tool_log.max_file_bytes in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--max-days', '--max-days', [CompletionResultType]::ParameterName, 'Keep each user''s tool log for its last N UTC days, today included, judged by the entries'' own timestamps; 0 keeps every day [default: tool_log.max_days in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--max-user-bytes', '--max-user-bytes', [CompletionResultType]::ParameterName, 'Keep at most this many bytes of tool-log files per user, deleting the oldest files first; 0 is no bound [default: tool_log.max_user_bytes in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--compress', '--compress', [CompletionResultType]::ParameterName, 'Gzip closed tool-log files (a segment once the next one starts, a day''s last file once that day is two days past): true or false [default: tool_log.compress in DIR/auditlog.toml, else false]')
            [CompletionResult]::new('--compress-grace', '--compress-grace', [CompletionResultType]::ParameterName, 'With compress, gzip a closed tool-log file only once its last entry is at least this many seconds old, so that a log shipper following the plain file (rsyslog''s imfile) that is behind or stopped for a while still reads it whole; 0 compresses as soon as the file is closed [default: tool_log.compress_grace in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--redact-key', '--redact-key', [CompletionResultType]::ParameterName, 'Also treat keys containing WORD as secrets (repeatable), besides the built-in ones: keys containing password, passwd, passphrase, secret, token, apikey, accesskey, privatekey, authorization, bearer, cookie, session, credential, pincode or clientkeydata, keys with a word pass, pwd, auth, dsn, sig, signature, jwt, otp, totp, hotp, mfa, cvv, cvc or psk, most keys whose last word is key, and the word for password in other languages (passwort, пароль, 密码, …; see docs/security.md); compared without case, - or _')
            [CompletionResult]::new('--sync', '--sync', [CompletionResultType]::ParameterName, 'When appended entries are flushed to disk: `never` (the OS writes them back; an acknowledged entry survives a crash of the writer but not a power loss), `batch` (one fdatasync shared by concurrent writers before they return), `always` (one fdatasync per entry) [default: never]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'auditlog;tool' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The user the tool ran for (a directory name: no ''/'', ''..'', or leading ''.'')')
            [CompletionResult]::new('--tool', '--tool', [CompletionResultType]::ParameterName, 'The tool''s name')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'How the call ended: ok, error or denied')
            [CompletionResult]::new('--args', '--args', [CompletionResultType]::ParameterName, 'The call''s arguments, a JSON object')
            [CompletionResult]::new('--result', '--result', [CompletionResultType]::ParameterName, 'The tool''s result')
            [CompletionResult]::new('--arg-max-chars', '--arg-max-chars', [CompletionResultType]::ParameterName, 'Cut string values in --args to N characters [default: 500]')
            [CompletionResult]::new('--snippet-chars', '--snippet-chars', [CompletionResultType]::ParameterName, 'Keep the first N characters of the result [default: 300]')
            [CompletionResult]::new('--result-file', '--result-file', [CompletionResultType]::ParameterName, 'Read the tool''s result from a file ("-" for standard input)')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The log directory; writes create it if missing, reads refuse a missing one')
            [CompletionResult]::new('--component', '--component', [CompletionResultType]::ParameterName, 'Run this component file instead of the built-in one')
            [CompletionResult]::new('--timeout-ms', '--timeout-ms', [CompletionResultType]::ParameterName, 'Stop a call into the component that runs longer than this many milliseconds [default: 30000]')
            [CompletionResult]::new('--memory-limit-mb', '--memory-limit-mb', [CompletionResultType]::ParameterName, 'Stop a call that grows the component''s memory beyond this many MiB [default: 256]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'Link entries with HMAC-SHA-256 under the key in this file (at least 16 bytes besides surrounding whitespace; outside the log directory, not reached through a symbolic link or hard link there; not readable by every user: `chmod 600`). Use the same key to verify; a keyed log refuses writes without it')
            [CompletionResult]::new('--max-entry-bytes', '--max-entry-bytes', [CompletionResultType]::ParameterName, 'Cut entries larger than this many bytes field by field (longest strings first) and mark them "truncated": true; an entry is never refused for its size alone [default: 102400]')
            [CompletionResult]::new('--max-file-bytes', '--max-file-bytes', [CompletionResultType]::ParameterName, 'Roll a user''s day file over into a new segment (YYYY-MM-DD.1.jsonl, .2.jsonl, ...) once it holds this many bytes; 0 turns it off [default: tool_log.max_file_bytes in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--max-days', '--max-days', [CompletionResultType]::ParameterName, 'Keep each user''s tool log for its last N UTC days, today included, judged by the entries'' own timestamps; 0 keeps every day [default: tool_log.max_days in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--max-user-bytes', '--max-user-bytes', [CompletionResultType]::ParameterName, 'Keep at most this many bytes of tool-log files per user, deleting the oldest files first; 0 is no bound [default: tool_log.max_user_bytes in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--compress', '--compress', [CompletionResultType]::ParameterName, 'Gzip closed tool-log files (a segment once the next one starts, a day''s last file once that day is two days past): true or false [default: tool_log.compress in DIR/auditlog.toml, else false]')
            [CompletionResult]::new('--compress-grace', '--compress-grace', [CompletionResultType]::ParameterName, 'With compress, gzip a closed tool-log file only once its last entry is at least this many seconds old, so that a log shipper following the plain file (rsyslog''s imfile) that is behind or stopped for a while still reads it whole; 0 compresses as soon as the file is closed [default: tool_log.compress_grace in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--redact-key', '--redact-key', [CompletionResultType]::ParameterName, 'Also treat keys containing WORD as secrets (repeatable), besides the built-in ones: keys containing password, passwd, passphrase, secret, token, apikey, accesskey, privatekey, authorization, bearer, cookie, session, credential, pincode or clientkeydata, keys with a word pass, pwd, auth, dsn, sig, signature, jwt, otp, totp, hotp, mfa, cvv, cvc or psk, most keys whose last word is key, and the word for password in other languages (passwort, пароль, 密码, …; see docs/security.md); compared without case, - or _')
            [CompletionResult]::new('--sync', '--sync', [CompletionResultType]::ParameterName, 'When appended entries are flushed to disk: `never` (the OS writes them back; an acknowledged entry survives a crash of the writer but not a power loss), `batch` (one fdatasync shared by concurrent writers before they return), `always` (one fdatasync per entry) [default: never]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'auditlog;recent' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Read this user''s tool log')
            [CompletionResult]::new('--skill', '--skill', [CompletionResultType]::ParameterName, 'Only runs of this skill (with --skills)')
            [CompletionResult]::new('--tool', '--tool', [CompletionResultType]::ParameterName, 'Only calls of this tool (with --user or --all-users)')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only entries with this status: ok, error or denied in a tool log, a lowercase word (success, failed, ...) in the skill log; any other is refused')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only entries at or after this time: RFC 3339 or a date (2025-10-23 = its UTC midnight)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only entries before this time: RFC 3339 or a date')
            [CompletionResult]::new('--days', '--days', [CompletionResultType]::ParameterName, 'Only entries from today and the N-1 UTC days before (1 to 3660) [default: 7 for tool logs, unless --since is given; none for --skills]')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Return at most N entries (1 to 10000); fewer, with a cursor, once they pass 32 MiB')
            [CompletionResult]::new('--cursor', '--cursor', [CompletionResultType]::ParameterName, 'Continue after the previous page (the cursor it printed)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print the entries')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The log directory; writes create it if missing, reads refuse a missing one')
            [CompletionResult]::new('--component', '--component', [CompletionResultType]::ParameterName, 'Run this component file instead of the built-in one')
            [CompletionResult]::new('--timeout-ms', '--timeout-ms', [CompletionResultType]::ParameterName, 'Stop a call into the component that runs longer than this many milliseconds [default: 30000]')
            [CompletionResult]::new('--memory-limit-mb', '--memory-limit-mb', [CompletionResultType]::ParameterName, 'Stop a call that grows the component''s memory beyond this many MiB [default: 256]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'Link entries with HMAC-SHA-256 under the key in this file (at least 16 bytes besides surrounding whitespace; outside the log directory, not reached through a symbolic link or hard link there; not readable by every user: `chmod 600`). Use the same key to verify; a keyed log refuses writes without it')
            [CompletionResult]::new('--max-entry-bytes', '--max-entry-bytes', [CompletionResultType]::ParameterName, 'Cut entries larger than this many bytes field by field (longest strings first) and mark them "truncated": true; an entry is never refused for its size alone [default: 102400]')
            [CompletionResult]::new('--max-file-bytes', '--max-file-bytes', [CompletionResultType]::ParameterName, 'Roll a user''s day file over into a new segment (YYYY-MM-DD.1.jsonl, .2.jsonl, ...) once it holds this many bytes; 0 turns it off [default: tool_log.max_file_bytes in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--max-days', '--max-days', [CompletionResultType]::ParameterName, 'Keep each user''s tool log for its last N UTC days, today included, judged by the entries'' own timestamps; 0 keeps every day [default: tool_log.max_days in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--max-user-bytes', '--max-user-bytes', [CompletionResultType]::ParameterName, 'Keep at most this many bytes of tool-log files per user, deleting the oldest files first; 0 is no bound [default: tool_log.max_user_bytes in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--compress', '--compress', [CompletionResultType]::ParameterName, 'Gzip closed tool-log files (a segment once the next one starts, a day''s last file once that day is two days past): true or false [default: tool_log.compress in DIR/auditlog.toml, else false]')
            [CompletionResult]::new('--compress-grace', '--compress-grace', [CompletionResultType]::ParameterName, 'With compress, gzip a closed tool-log file only once its last entry is at least this many seconds old, so that a log shipper following the plain file (rsyslog''s imfile) that is behind or stopped for a while still reads it whole; 0 compresses as soon as the file is closed [default: tool_log.compress_grace in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--redact-key', '--redact-key', [CompletionResultType]::ParameterName, 'Also treat keys containing WORD as secrets (repeatable), besides the built-in ones: keys containing password, passwd, passphrase, secret, token, apikey, accesskey, privatekey, authorization, bearer, cookie, session, credential, pincode or clientkeydata, keys with a word pass, pwd, auth, dsn, sig, signature, jwt, otp, totp, hotp, mfa, cvv, cvc or psk, most keys whose last word is key, and the word for password in other languages (passwort, пароль, 密码, …; see docs/security.md); compared without case, - or _')
            [CompletionResult]::new('--sync', '--sync', [CompletionResultType]::ParameterName, 'When appended entries are flushed to disk: `never` (the OS writes them back; an acknowledged entry survives a crash of the writer but not a power loss), `batch` (one fdatasync shared by concurrent writers before they return), `always` (one fdatasync per entry) [default: never]')
            [CompletionResult]::new('--skills', '--skills', [CompletionResultType]::ParameterName, 'Read the skill log (audit_log.json)')
            [CompletionResult]::new('--all-users', '--all-users', [CompletionResultType]::ParameterName, 'Read every user''s tool log, merged by time')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'auditlog;stats' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Read this user''s tool log')
            [CompletionResult]::new('--skill', '--skill', [CompletionResultType]::ParameterName, 'Only runs of this skill (with --skills)')
            [CompletionResult]::new('--tool', '--tool', [CompletionResultType]::ParameterName, 'Only calls of this tool (with --user or --all-users)')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only entries with this status: ok, error or denied in a tool log, a lowercase word (success, failed, ...) in the skill log; any other is refused')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only entries at or after this time: RFC 3339 or a date (2025-10-23 = its UTC midnight)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only entries before this time: RFC 3339 or a date')
            [CompletionResult]::new('--days', '--days', [CompletionResultType]::ParameterName, 'Only entries from today and the N-1 UTC days before (1 to 3660) [default: 7 for tool logs, unless --since is given; none for --skills]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print the totals')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The log directory; writes create it if missing, reads refuse a missing one')
            [CompletionResult]::new('--component', '--component', [CompletionResultType]::ParameterName, 'Run this component file instead of the built-in one')
            [CompletionResult]::new('--timeout-ms', '--timeout-ms', [CompletionResultType]::ParameterName, 'Stop a call into the component that runs longer than this many milliseconds [default: 30000]')
            [CompletionResult]::new('--memory-limit-mb', '--memory-limit-mb', [CompletionResultType]::ParameterName, 'Stop a call that grows the component''s memory beyond this many MiB [default: 256]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'Link entries with HMAC-SHA-256 under the key in this file (at least 16 bytes besides surrounding whitespace; outside the log directory, not reached through a symbolic link or hard link there; not readable by every user: `chmod 600`). Use the same key to verify; a keyed log refuses writes without it')
            [CompletionResult]::new('--max-entry-bytes', '--max-entry-bytes', [CompletionResultType]::ParameterName, 'Cut entries larger than this many bytes field by field (longest strings first) and mark them "truncated": true; an entry is never refused for its size alone [default: 102400]')
            [CompletionResult]::new('--max-file-bytes', '--max-file-bytes', [CompletionResultType]::ParameterName, 'Roll a user''s day file over into a new segment (YYYY-MM-DD.1.jsonl, .2.jsonl, ...) once it holds this many bytes; 0 turns it off [default: tool_log.max_file_bytes in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--max-days', '--max-days', [CompletionResultType]::ParameterName, 'Keep each user''s tool log for its last N UTC days, today included, judged by the entries'' own timestamps; 0 keeps every day [default: tool_log.max_days in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--max-user-bytes', '--max-user-bytes', [CompletionResultType]::ParameterName, 'Keep at most this many bytes of tool-log files per user, deleting the oldest files first; 0 is no bound [default: tool_log.max_user_bytes in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--compress', '--compress', [CompletionResultType]::ParameterName, 'Gzip closed tool-log files (a segment once the next one starts, a day''s last file once that day is two days past): true or false [default: tool_log.compress in DIR/auditlog.toml, else false]')
            [CompletionResult]::new('--compress-grace', '--compress-grace', [CompletionResultType]::ParameterName, 'With compress, gzip a closed tool-log file only once its last entry is at least this many seconds old, so that a log shipper following the plain file (rsyslog''s imfile) that is behind or stopped for a while still reads it whole; 0 compresses as soon as the file is closed [default: tool_log.compress_grace in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--redact-key', '--redact-key', [CompletionResultType]::ParameterName, 'Also treat keys containing WORD as secrets (repeatable), besides the built-in ones: keys containing password, passwd, passphrase, secret, token, apikey, accesskey, privatekey, authorization, bearer, cookie, session, credential, pincode or clientkeydata, keys with a word pass, pwd, auth, dsn, sig, signature, jwt, otp, totp, hotp, mfa, cvv, cvc or psk, most keys whose last word is key, and the word for password in other languages (passwort, пароль, 密码, …; see docs/security.md); compared without case, - or _')
            [CompletionResult]::new('--sync', '--sync', [CompletionResultType]::ParameterName, 'When appended entries are flushed to disk: `never` (the OS writes them back; an acknowledged entry survives a crash of the writer but not a power loss), `batch` (one fdatasync shared by concurrent writers before they return), `always` (one fdatasync per entry) [default: never]')
            [CompletionResult]::new('--skills', '--skills', [CompletionResultType]::ParameterName, 'Read the skill log (audit_log.json)')
            [CompletionResult]::new('--all-users', '--all-users', [CompletionResultType]::ParameterName, 'Read every user''s tool log, merged by time')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'auditlog;serve' {
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Listen on this IP address and port (port 0 picks a free one)')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'File holding the admin token, which reads every log')
            [CompletionResult]::new('--user-tokens-file', '--user-tokens-file', [CompletionResultType]::ParameterName, 'JSON file mapping user names to tokens that read only that user''s tool log')
            [CompletionResult]::new('--header-timeout', '--header-timeout', [CompletionResultType]::ParameterName, 'Seconds a client has, from connecting, to send its request line and headers (0.001 to 3600); a slower one gets 408 and is disconnected')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Seconds a connection may last, from connecting to the end of its answer (0.001 to 3600); it is closed then, whatever it is doing')
            [CompletionResult]::new('--max-connections', '--max-connections', [CompletionResultType]::ParameterName, 'Connections open at once (1 to 65536); keep it well below the open-file limit (`ulimit -n`). When all are taken, the oldest one still sending its head is closed to make room; when all serve requests, a new one gets 503')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The log directory; writes create it if missing, reads refuse a missing one')
            [CompletionResult]::new('--component', '--component', [CompletionResultType]::ParameterName, 'Run this component file instead of the built-in one')
            [CompletionResult]::new('--timeout-ms', '--timeout-ms', [CompletionResultType]::ParameterName, 'Stop a call into the component that runs longer than this many milliseconds [default: 30000]')
            [CompletionResult]::new('--memory-limit-mb', '--memory-limit-mb', [CompletionResultType]::ParameterName, 'Stop a call that grows the component''s memory beyond this many MiB [default: 256]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'Link entries with HMAC-SHA-256 under the key in this file (at least 16 bytes besides surrounding whitespace; outside the log directory, not reached through a symbolic link or hard link there; not readable by every user: `chmod 600`). Use the same key to verify; a keyed log refuses writes without it')
            [CompletionResult]::new('--max-entry-bytes', '--max-entry-bytes', [CompletionResultType]::ParameterName, 'Cut entries larger than this many bytes field by field (longest strings first) and mark them "truncated": true; an entry is never refused for its size alone [default: 102400]')
            [CompletionResult]::new('--max-file-bytes', '--max-file-bytes', [CompletionResultType]::ParameterName, 'Roll a user''s day file over into a new segment (YYYY-MM-DD.1.jsonl, .2.jsonl, ...) once it holds this many bytes; 0 turns it off [default: tool_log.max_file_bytes in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--max-days', '--max-days', [CompletionResultType]::ParameterName, 'Keep each user''s tool log for its last N UTC days, today included, judged by the entries'' own timestamps; 0 keeps every day [default: tool_log.max_days in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--max-user-bytes', '--max-user-bytes', [CompletionResultType]::ParameterName, 'Keep at most this many bytes of tool-log files per user, deleting the oldest files first; 0 is no bound [default: tool_log.max_user_bytes in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--compress', '--compress', [CompletionResultType]::ParameterName, 'Gzip closed tool-log files (a segment once the next one starts, a day''s last file once that day is two days past): true or false [default: tool_log.compress in DIR/auditlog.toml, else false]')
            [CompletionResult]::new('--compress-grace', '--compress-grace', [CompletionResultType]::ParameterName, 'With compress, gzip a closed tool-log file only once its last entry is at least this many seconds old, so that a log shipper following the plain file (rsyslog''s imfile) that is behind or stopped for a while still reads it whole; 0 compresses as soon as the file is closed [default: tool_log.compress_grace in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--redact-key', '--redact-key', [CompletionResultType]::ParameterName, 'Also treat keys containing WORD as secrets (repeatable), besides the built-in ones: keys containing password, passwd, passphrase, secret, token, apikey, accesskey, privatekey, authorization, bearer, cookie, session, credential, pincode or clientkeydata, keys with a word pass, pwd, auth, dsn, sig, signature, jwt, otp, totp, hotp, mfa, cvv, cvc or psk, most keys whose last word is key, and the word for password in other languages (passwort, пароль, 密码, …; see docs/security.md); compared without case, - or _')
            [CompletionResult]::new('--sync', '--sync', [CompletionResultType]::ParameterName, 'When appended entries are flushed to disk: `never` (the OS writes them back; an acknowledged entry survives a crash of the writer but not a power loss), `batch` (one fdatasync shared by concurrent writers before they return), `always` (one fdatasync per entry) [default: never]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'auditlog;verify' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only this user''s tool log')
            [CompletionResult]::new('--checkpoint', '--checkpoint', [CompletionResultType]::ParameterName, 'A file outside the log directory holding where each log ended last time; checked, then updated')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The log directory; writes create it if missing, reads refuse a missing one')
            [CompletionResult]::new('--component', '--component', [CompletionResultType]::ParameterName, 'Run this component file instead of the built-in one')
            [CompletionResult]::new('--timeout-ms', '--timeout-ms', [CompletionResultType]::ParameterName, 'Stop a call into the component that runs longer than this many milliseconds [default: 30000]')
            [CompletionResult]::new('--memory-limit-mb', '--memory-limit-mb', [CompletionResultType]::ParameterName, 'Stop a call that grows the component''s memory beyond this many MiB [default: 256]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'Link entries with HMAC-SHA-256 under the key in this file (at least 16 bytes besides surrounding whitespace; outside the log directory, not reached through a symbolic link or hard link there; not readable by every user: `chmod 600`). Use the same key to verify; a keyed log refuses writes without it')
            [CompletionResult]::new('--max-entry-bytes', '--max-entry-bytes', [CompletionResultType]::ParameterName, 'Cut entries larger than this many bytes field by field (longest strings first) and mark them "truncated": true; an entry is never refused for its size alone [default: 102400]')
            [CompletionResult]::new('--max-file-bytes', '--max-file-bytes', [CompletionResultType]::ParameterName, 'Roll a user''s day file over into a new segment (YYYY-MM-DD.1.jsonl, .2.jsonl, ...) once it holds this many bytes; 0 turns it off [default: tool_log.max_file_bytes in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--max-days', '--max-days', [CompletionResultType]::ParameterName, 'Keep each user''s tool log for its last N UTC days, today included, judged by the entries'' own timestamps; 0 keeps every day [default: tool_log.max_days in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--max-user-bytes', '--max-user-bytes', [CompletionResultType]::ParameterName, 'Keep at most this many bytes of tool-log files per user, deleting the oldest files first; 0 is no bound [default: tool_log.max_user_bytes in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--compress', '--compress', [CompletionResultType]::ParameterName, 'Gzip closed tool-log files (a segment once the next one starts, a day''s last file once that day is two days past): true or false [default: tool_log.compress in DIR/auditlog.toml, else false]')
            [CompletionResult]::new('--compress-grace', '--compress-grace', [CompletionResultType]::ParameterName, 'With compress, gzip a closed tool-log file only once its last entry is at least this many seconds old, so that a log shipper following the plain file (rsyslog''s imfile) that is behind or stopped for a while still reads it whole; 0 compresses as soon as the file is closed [default: tool_log.compress_grace in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--redact-key', '--redact-key', [CompletionResultType]::ParameterName, 'Also treat keys containing WORD as secrets (repeatable), besides the built-in ones: keys containing password, passwd, passphrase, secret, token, apikey, accesskey, privatekey, authorization, bearer, cookie, session, credential, pincode or clientkeydata, keys with a word pass, pwd, auth, dsn, sig, signature, jwt, otp, totp, hotp, mfa, cvv, cvc or psk, most keys whose last word is key, and the word for password in other languages (passwort, пароль, 密码, …; see docs/security.md); compared without case, - or _')
            [CompletionResult]::new('--sync', '--sync', [CompletionResultType]::ParameterName, 'When appended entries are flushed to disk: `never` (the OS writes them back; an acknowledged entry survives a crash of the writer but not a power loss), `batch` (one fdatasync shared by concurrent writers before they return), `always` (one fdatasync per entry) [default: never]')
            [CompletionResult]::new('--skills', '--skills', [CompletionResultType]::ParameterName, 'Only the skill log')
            [CompletionResult]::new('--all-users', '--all-users', [CompletionResultType]::ParameterName, 'Only the users'' tool logs')
            [CompletionResult]::new('--require-seal', '--require-seal', [CompletionResultType]::ParameterName, 'Fail (exit 1) on entries without a seal that no `auditlog adopt` covers, instead of listing them: for logs no other writer may write any more, where such an entry is a forgery until shown otherwise')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'auditlog;repair' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only this user''s tool log')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output: `text`, one line per repaired file; `json`, an array of repairs')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The log directory; writes create it if missing, reads refuse a missing one')
            [CompletionResult]::new('--component', '--component', [CompletionResultType]::ParameterName, 'Run this component file instead of the built-in one')
            [CompletionResult]::new('--timeout-ms', '--timeout-ms', [CompletionResultType]::ParameterName, 'Stop a call into the component that runs longer than this many milliseconds [default: 30000]')
            [CompletionResult]::new('--memory-limit-mb', '--memory-limit-mb', [CompletionResultType]::ParameterName, 'Stop a call that grows the component''s memory beyond this many MiB [default: 256]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'Link entries with HMAC-SHA-256 under the key in this file (at least 16 bytes besides surrounding whitespace; outside the log directory, not reached through a symbolic link or hard link there; not readable by every user: `chmod 600`). Use the same key to verify; a keyed log refuses writes without it')
            [CompletionResult]::new('--max-entry-bytes', '--max-entry-bytes', [CompletionResultType]::ParameterName, 'Cut entries larger than this many bytes field by field (longest strings first) and mark them "truncated": true; an entry is never refused for its size alone [default: 102400]')
            [CompletionResult]::new('--max-file-bytes', '--max-file-bytes', [CompletionResultType]::ParameterName, 'Roll a user''s day file over into a new segment (YYYY-MM-DD.1.jsonl, .2.jsonl, ...) once it holds this many bytes; 0 turns it off [default: tool_log.max_file_bytes in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--max-days', '--max-days', [CompletionResultType]::ParameterName, 'Keep each user''s tool log for its last N UTC days, today included, judged by the entries'' own timestamps; 0 keeps every day [default: tool_log.max_days in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--max-user-bytes', '--max-user-bytes', [CompletionResultType]::ParameterName, 'Keep at most this many bytes of tool-log files per user, deleting the oldest files first; 0 is no bound [default: tool_log.max_user_bytes in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--compress', '--compress', [CompletionResultType]::ParameterName, 'Gzip closed tool-log files (a segment once the next one starts, a day''s last file once that day is two days past): true or false [default: tool_log.compress in DIR/auditlog.toml, else false]')
            [CompletionResult]::new('--compress-grace', '--compress-grace', [CompletionResultType]::ParameterName, 'With compress, gzip a closed tool-log file only once its last entry is at least this many seconds old, so that a log shipper following the plain file (rsyslog''s imfile) that is behind or stopped for a while still reads it whole; 0 compresses as soon as the file is closed [default: tool_log.compress_grace in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--redact-key', '--redact-key', [CompletionResultType]::ParameterName, 'Also treat keys containing WORD as secrets (repeatable), besides the built-in ones: keys containing password, passwd, passphrase, secret, token, apikey, accesskey, privatekey, authorization, bearer, cookie, session, credential, pincode or clientkeydata, keys with a word pass, pwd, auth, dsn, sig, signature, jwt, otp, totp, hotp, mfa, cvv, cvc or psk, most keys whose last word is key, and the word for password in other languages (passwort, пароль, 密码, …; see docs/security.md); compared without case, - or _')
            [CompletionResult]::new('--sync', '--sync', [CompletionResultType]::ParameterName, 'When appended entries are flushed to disk: `never` (the OS writes them back; an acknowledged entry survives a crash of the writer but not a power loss), `batch` (one fdatasync shared by concurrent writers before they return), `always` (one fdatasync per entry) [default: never]')
            [CompletionResult]::new('--skills', '--skills', [CompletionResultType]::ParameterName, 'Only the skill log')
            [CompletionResult]::new('--all-users', '--all-users', [CompletionResultType]::ParameterName, 'Only the users'' tool logs')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'auditlog;adopt' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only this user''s tool log')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The log directory; writes create it if missing, reads refuse a missing one')
            [CompletionResult]::new('--component', '--component', [CompletionResultType]::ParameterName, 'Run this component file instead of the built-in one')
            [CompletionResult]::new('--timeout-ms', '--timeout-ms', [CompletionResultType]::ParameterName, 'Stop a call into the component that runs longer than this many milliseconds [default: 30000]')
            [CompletionResult]::new('--memory-limit-mb', '--memory-limit-mb', [CompletionResultType]::ParameterName, 'Stop a call that grows the component''s memory beyond this many MiB [default: 256]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'Link entries with HMAC-SHA-256 under the key in this file (at least 16 bytes besides surrounding whitespace; outside the log directory, not reached through a symbolic link or hard link there; not readable by every user: `chmod 600`). Use the same key to verify; a keyed log refuses writes without it')
            [CompletionResult]::new('--max-entry-bytes', '--max-entry-bytes', [CompletionResultType]::ParameterName, 'Cut entries larger than this many bytes field by field (longest strings first) and mark them "truncated": true; an entry is never refused for its size alone [default: 102400]')
            [CompletionResult]::new('--max-file-bytes', '--max-file-bytes', [CompletionResultType]::ParameterName, 'Roll a user''s day file over into a new segment (YYYY-MM-DD.1.jsonl, .2.jsonl, ...) once it holds this many bytes; 0 turns it off [default: tool_log.max_file_bytes in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--max-days', '--max-days', [CompletionResultType]::ParameterName, 'Keep each user''s tool log for its last N UTC days, today included, judged by the entries'' own timestamps; 0 keeps every day [default: tool_log.max_days in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--max-user-bytes', '--max-user-bytes', [CompletionResultType]::ParameterName, 'Keep at most this many bytes of tool-log files per user, deleting the oldest files first; 0 is no bound [default: tool_log.max_user_bytes in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--compress', '--compress', [CompletionResultType]::ParameterName, 'Gzip closed tool-log files (a segment once the next one starts, a day''s last file once that day is two days past): true or false [default: tool_log.compress in DIR/auditlog.toml, else false]')
            [CompletionResult]::new('--compress-grace', '--compress-grace', [CompletionResultType]::ParameterName, 'With compress, gzip a closed tool-log file only once its last entry is at least this many seconds old, so that a log shipper following the plain file (rsyslog''s imfile) that is behind or stopped for a while still reads it whole; 0 compresses as soon as the file is closed [default: tool_log.compress_grace in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--redact-key', '--redact-key', [CompletionResultType]::ParameterName, 'Also treat keys containing WORD as secrets (repeatable), besides the built-in ones: keys containing password, passwd, passphrase, secret, token, apikey, accesskey, privatekey, authorization, bearer, cookie, session, credential, pincode or clientkeydata, keys with a word pass, pwd, auth, dsn, sig, signature, jwt, otp, totp, hotp, mfa, cvv, cvc or psk, most keys whose last word is key, and the word for password in other languages (passwort, пароль, 密码, …; see docs/security.md); compared without case, - or _')
            [CompletionResult]::new('--sync', '--sync', [CompletionResultType]::ParameterName, 'When appended entries are flushed to disk: `never` (the OS writes them back; an acknowledged entry survives a crash of the writer but not a power loss), `batch` (one fdatasync shared by concurrent writers before they return), `always` (one fdatasync per entry) [default: never]')
            [CompletionResult]::new('--skills', '--skills', [CompletionResultType]::ParameterName, 'Only the skill log')
            [CompletionResult]::new('--all-users', '--all-users', [CompletionResultType]::ParameterName, 'Only the users'' tool logs')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'auditlog;rotate' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only this user''s tool log')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output: `text`, one line per file changed; `json`, an array of {"file", "action", "bytes"}')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The log directory; writes create it if missing, reads refuse a missing one')
            [CompletionResult]::new('--component', '--component', [CompletionResultType]::ParameterName, 'Run this component file instead of the built-in one')
            [CompletionResult]::new('--timeout-ms', '--timeout-ms', [CompletionResultType]::ParameterName, 'Stop a call into the component that runs longer than this many milliseconds [default: 30000]')
            [CompletionResult]::new('--memory-limit-mb', '--memory-limit-mb', [CompletionResultType]::ParameterName, 'Stop a call that grows the component''s memory beyond this many MiB [default: 256]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'Link entries with HMAC-SHA-256 under the key in this file (at least 16 bytes besides surrounding whitespace; outside the log directory, not reached through a symbolic link or hard link there; not readable by every user: `chmod 600`). Use the same key to verify; a keyed log refuses writes without it')
            [CompletionResult]::new('--max-entry-bytes', '--max-entry-bytes', [CompletionResultType]::ParameterName, 'Cut entries larger than this many bytes field by field (longest strings first) and mark them "truncated": true; an entry is never refused for its size alone [default: 102400]')
            [CompletionResult]::new('--max-file-bytes', '--max-file-bytes', [CompletionResultType]::ParameterName, 'Roll a user''s day file over into a new segment (YYYY-MM-DD.1.jsonl, .2.jsonl, ...) once it holds this many bytes; 0 turns it off [default: tool_log.max_file_bytes in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--max-days', '--max-days', [CompletionResultType]::ParameterName, 'Keep each user''s tool log for its last N UTC days, today included, judged by the entries'' own timestamps; 0 keeps every day [default: tool_log.max_days in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--max-user-bytes', '--max-user-bytes', [CompletionResultType]::ParameterName, 'Keep at most this many bytes of tool-log files per user, deleting the oldest files first; 0 is no bound [default: tool_log.max_user_bytes in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--compress', '--compress', [CompletionResultType]::ParameterName, 'Gzip closed tool-log files (a segment once the next one starts, a day''s last file once that day is two days past): true or false [default: tool_log.compress in DIR/auditlog.toml, else false]')
            [CompletionResult]::new('--compress-grace', '--compress-grace', [CompletionResultType]::ParameterName, 'With compress, gzip a closed tool-log file only once its last entry is at least this many seconds old, so that a log shipper following the plain file (rsyslog''s imfile) that is behind or stopped for a while still reads it whole; 0 compresses as soon as the file is closed [default: tool_log.compress_grace in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--redact-key', '--redact-key', [CompletionResultType]::ParameterName, 'Also treat keys containing WORD as secrets (repeatable), besides the built-in ones: keys containing password, passwd, passphrase, secret, token, apikey, accesskey, privatekey, authorization, bearer, cookie, session, credential, pincode or clientkeydata, keys with a word pass, pwd, auth, dsn, sig, signature, jwt, otp, totp, hotp, mfa, cvv, cvc or psk, most keys whose last word is key, and the word for password in other languages (passwort, пароль, 密码, …; see docs/security.md); compared without case, - or _')
            [CompletionResult]::new('--sync', '--sync', [CompletionResultType]::ParameterName, 'When appended entries are flushed to disk: `never` (the OS writes them back; an acknowledged entry survives a crash of the writer but not a power loss), `batch` (one fdatasync shared by concurrent writers before they return), `always` (one fdatasync per entry) [default: never]')
            [CompletionResult]::new('--all-users', '--all-users', [CompletionResultType]::ParameterName, 'Every user''s tool log (the default)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'auditlog;config' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The log directory; writes create it if missing, reads refuse a missing one')
            [CompletionResult]::new('--component', '--component', [CompletionResultType]::ParameterName, 'Run this component file instead of the built-in one')
            [CompletionResult]::new('--timeout-ms', '--timeout-ms', [CompletionResultType]::ParameterName, 'Stop a call into the component that runs longer than this many milliseconds [default: 30000]')
            [CompletionResult]::new('--memory-limit-mb', '--memory-limit-mb', [CompletionResultType]::ParameterName, 'Stop a call that grows the component''s memory beyond this many MiB [default: 256]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'Link entries with HMAC-SHA-256 under the key in this file (at least 16 bytes besides surrounding whitespace; outside the log directory, not reached through a symbolic link or hard link there; not readable by every user: `chmod 600`). Use the same key to verify; a keyed log refuses writes without it')
            [CompletionResult]::new('--max-entry-bytes', '--max-entry-bytes', [CompletionResultType]::ParameterName, 'Cut entries larger than this many bytes field by field (longest strings first) and mark them "truncated": true; an entry is never refused for its size alone [default: 102400]')
            [CompletionResult]::new('--max-file-bytes', '--max-file-bytes', [CompletionResultType]::ParameterName, 'Roll a user''s day file over into a new segment (YYYY-MM-DD.1.jsonl, .2.jsonl, ...) once it holds this many bytes; 0 turns it off [default: tool_log.max_file_bytes in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--max-days', '--max-days', [CompletionResultType]::ParameterName, 'Keep each user''s tool log for its last N UTC days, today included, judged by the entries'' own timestamps; 0 keeps every day [default: tool_log.max_days in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--max-user-bytes', '--max-user-bytes', [CompletionResultType]::ParameterName, 'Keep at most this many bytes of tool-log files per user, deleting the oldest files first; 0 is no bound [default: tool_log.max_user_bytes in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--compress', '--compress', [CompletionResultType]::ParameterName, 'Gzip closed tool-log files (a segment once the next one starts, a day''s last file once that day is two days past): true or false [default: tool_log.compress in DIR/auditlog.toml, else false]')
            [CompletionResult]::new('--compress-grace', '--compress-grace', [CompletionResultType]::ParameterName, 'With compress, gzip a closed tool-log file only once its last entry is at least this many seconds old, so that a log shipper following the plain file (rsyslog''s imfile) that is behind or stopped for a while still reads it whole; 0 compresses as soon as the file is closed [default: tool_log.compress_grace in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--redact-key', '--redact-key', [CompletionResultType]::ParameterName, 'Also treat keys containing WORD as secrets (repeatable), besides the built-in ones: keys containing password, passwd, passphrase, secret, token, apikey, accesskey, privatekey, authorization, bearer, cookie, session, credential, pincode or clientkeydata, keys with a word pass, pwd, auth, dsn, sig, signature, jwt, otp, totp, hotp, mfa, cvv, cvc or psk, most keys whose last word is key, and the word for password in other languages (passwort, пароль, 密码, …; see docs/security.md); compared without case, - or _')
            [CompletionResult]::new('--sync', '--sync', [CompletionResultType]::ParameterName, 'When appended entries are flushed to disk: `never` (the OS writes them back; an acknowledged entry survives a crash of the writer but not a power loss), `batch` (one fdatasync shared by concurrent writers before they return), `always` (one fdatasync per entry) [default: never]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the rotation policy in force: each value and where it came from (default, DIR/auditlog.toml, a flag or an environment variable)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'auditlog;config;show' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output: `toml`, the policy as an auditlog.toml with each value''s origin in a comment; `json`, each value as {"value", "from"}')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The log directory; writes create it if missing, reads refuse a missing one')
            [CompletionResult]::new('--component', '--component', [CompletionResultType]::ParameterName, 'Run this component file instead of the built-in one')
            [CompletionResult]::new('--timeout-ms', '--timeout-ms', [CompletionResultType]::ParameterName, 'Stop a call into the component that runs longer than this many milliseconds [default: 30000]')
            [CompletionResult]::new('--memory-limit-mb', '--memory-limit-mb', [CompletionResultType]::ParameterName, 'Stop a call that grows the component''s memory beyond this many MiB [default: 256]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'Link entries with HMAC-SHA-256 under the key in this file (at least 16 bytes besides surrounding whitespace; outside the log directory, not reached through a symbolic link or hard link there; not readable by every user: `chmod 600`). Use the same key to verify; a keyed log refuses writes without it')
            [CompletionResult]::new('--max-entry-bytes', '--max-entry-bytes', [CompletionResultType]::ParameterName, 'Cut entries larger than this many bytes field by field (longest strings first) and mark them "truncated": true; an entry is never refused for its size alone [default: 102400]')
            [CompletionResult]::new('--max-file-bytes', '--max-file-bytes', [CompletionResultType]::ParameterName, 'Roll a user''s day file over into a new segment (YYYY-MM-DD.1.jsonl, .2.jsonl, ...) once it holds this many bytes; 0 turns it off [default: tool_log.max_file_bytes in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--max-days', '--max-days', [CompletionResultType]::ParameterName, 'Keep each user''s tool log for its last N UTC days, today included, judged by the entries'' own timestamps; 0 keeps every day [default: tool_log.max_days in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--max-user-bytes', '--max-user-bytes', [CompletionResultType]::ParameterName, 'Keep at most this many bytes of tool-log files per user, deleting the oldest files first; 0 is no bound [default: tool_log.max_user_bytes in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--compress', '--compress', [CompletionResultType]::ParameterName, 'Gzip closed tool-log files (a segment once the next one starts, a day''s last file once that day is two days past): true or false [default: tool_log.compress in DIR/auditlog.toml, else false]')
            [CompletionResult]::new('--compress-grace', '--compress-grace', [CompletionResultType]::ParameterName, 'With compress, gzip a closed tool-log file only once its last entry is at least this many seconds old, so that a log shipper following the plain file (rsyslog''s imfile) that is behind or stopped for a while still reads it whole; 0 compresses as soon as the file is closed [default: tool_log.compress_grace in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--redact-key', '--redact-key', [CompletionResultType]::ParameterName, 'Also treat keys containing WORD as secrets (repeatable), besides the built-in ones: keys containing password, passwd, passphrase, secret, token, apikey, accesskey, privatekey, authorization, bearer, cookie, session, credential, pincode or clientkeydata, keys with a word pass, pwd, auth, dsn, sig, signature, jwt, otp, totp, hotp, mfa, cvv, cvc or psk, most keys whose last word is key, and the word for password in other languages (passwort, пароль, 密码, …; see docs/security.md); compared without case, - or _')
            [CompletionResult]::new('--sync', '--sync', [CompletionResultType]::ParameterName, 'When appended entries are flushed to disk: `never` (the OS writes them back; an acknowledged entry survives a crash of the writer but not a power loss), `batch` (one fdatasync shared by concurrent writers before they return), `always` (one fdatasync per entry) [default: never]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'auditlog;config;help' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the rotation policy in force: each value and where it came from (default, DIR/auditlog.toml, a flag or an environment variable)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'auditlog;config;help;show' {
            break
        }
        'auditlog;config;help;help' {
            break
        }
        'auditlog;run-skill' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The user the skill runs for')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The skill''s name in the log [default: the file''s name without .wasm]')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The log directory; writes create it if missing, reads refuse a missing one')
            [CompletionResult]::new('--component', '--component', [CompletionResultType]::ParameterName, 'Run this component file instead of the built-in one')
            [CompletionResult]::new('--timeout-ms', '--timeout-ms', [CompletionResultType]::ParameterName, 'Stop a call into the component that runs longer than this many milliseconds [default: 30000]')
            [CompletionResult]::new('--memory-limit-mb', '--memory-limit-mb', [CompletionResultType]::ParameterName, 'Stop a call that grows the component''s memory beyond this many MiB [default: 256]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'Link entries with HMAC-SHA-256 under the key in this file (at least 16 bytes besides surrounding whitespace; outside the log directory, not reached through a symbolic link or hard link there; not readable by every user: `chmod 600`). Use the same key to verify; a keyed log refuses writes without it')
            [CompletionResult]::new('--max-entry-bytes', '--max-entry-bytes', [CompletionResultType]::ParameterName, 'Cut entries larger than this many bytes field by field (longest strings first) and mark them "truncated": true; an entry is never refused for its size alone [default: 102400]')
            [CompletionResult]::new('--max-file-bytes', '--max-file-bytes', [CompletionResultType]::ParameterName, 'Roll a user''s day file over into a new segment (YYYY-MM-DD.1.jsonl, .2.jsonl, ...) once it holds this many bytes; 0 turns it off [default: tool_log.max_file_bytes in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--max-days', '--max-days', [CompletionResultType]::ParameterName, 'Keep each user''s tool log for its last N UTC days, today included, judged by the entries'' own timestamps; 0 keeps every day [default: tool_log.max_days in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--max-user-bytes', '--max-user-bytes', [CompletionResultType]::ParameterName, 'Keep at most this many bytes of tool-log files per user, deleting the oldest files first; 0 is no bound [default: tool_log.max_user_bytes in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--compress', '--compress', [CompletionResultType]::ParameterName, 'Gzip closed tool-log files (a segment once the next one starts, a day''s last file once that day is two days past): true or false [default: tool_log.compress in DIR/auditlog.toml, else false]')
            [CompletionResult]::new('--compress-grace', '--compress-grace', [CompletionResultType]::ParameterName, 'With compress, gzip a closed tool-log file only once its last entry is at least this many seconds old, so that a log shipper following the plain file (rsyslog''s imfile) that is behind or stopped for a while still reads it whole; 0 compresses as soon as the file is closed [default: tool_log.compress_grace in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--redact-key', '--redact-key', [CompletionResultType]::ParameterName, 'Also treat keys containing WORD as secrets (repeatable), besides the built-in ones: keys containing password, passwd, passphrase, secret, token, apikey, accesskey, privatekey, authorization, bearer, cookie, session, credential, pincode or clientkeydata, keys with a word pass, pwd, auth, dsn, sig, signature, jwt, otp, totp, hotp, mfa, cvv, cvc or psk, most keys whose last word is key, and the word for password in other languages (passwort, пароль, 密码, …; see docs/security.md); compared without case, - or _')
            [CompletionResult]::new('--sync', '--sync', [CompletionResultType]::ParameterName, 'When appended entries are flushed to disk: `never` (the OS writes them back; an acknowledged entry survives a crash of the writer but not a power loss), `batch` (one fdatasync shared by concurrent writers before they return), `always` (one fdatasync per entry) [default: never]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'auditlog;component' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Where to write it')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The log directory; writes create it if missing, reads refuse a missing one')
            [CompletionResult]::new('--component', '--component', [CompletionResultType]::ParameterName, 'Run this component file instead of the built-in one')
            [CompletionResult]::new('--timeout-ms', '--timeout-ms', [CompletionResultType]::ParameterName, 'Stop a call into the component that runs longer than this many milliseconds [default: 30000]')
            [CompletionResult]::new('--memory-limit-mb', '--memory-limit-mb', [CompletionResultType]::ParameterName, 'Stop a call that grows the component''s memory beyond this many MiB [default: 256]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'Link entries with HMAC-SHA-256 under the key in this file (at least 16 bytes besides surrounding whitespace; outside the log directory, not reached through a symbolic link or hard link there; not readable by every user: `chmod 600`). Use the same key to verify; a keyed log refuses writes without it')
            [CompletionResult]::new('--max-entry-bytes', '--max-entry-bytes', [CompletionResultType]::ParameterName, 'Cut entries larger than this many bytes field by field (longest strings first) and mark them "truncated": true; an entry is never refused for its size alone [default: 102400]')
            [CompletionResult]::new('--max-file-bytes', '--max-file-bytes', [CompletionResultType]::ParameterName, 'Roll a user''s day file over into a new segment (YYYY-MM-DD.1.jsonl, .2.jsonl, ...) once it holds this many bytes; 0 turns it off [default: tool_log.max_file_bytes in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--max-days', '--max-days', [CompletionResultType]::ParameterName, 'Keep each user''s tool log for its last N UTC days, today included, judged by the entries'' own timestamps; 0 keeps every day [default: tool_log.max_days in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--max-user-bytes', '--max-user-bytes', [CompletionResultType]::ParameterName, 'Keep at most this many bytes of tool-log files per user, deleting the oldest files first; 0 is no bound [default: tool_log.max_user_bytes in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--compress', '--compress', [CompletionResultType]::ParameterName, 'Gzip closed tool-log files (a segment once the next one starts, a day''s last file once that day is two days past): true or false [default: tool_log.compress in DIR/auditlog.toml, else false]')
            [CompletionResult]::new('--compress-grace', '--compress-grace', [CompletionResultType]::ParameterName, 'With compress, gzip a closed tool-log file only once its last entry is at least this many seconds old, so that a log shipper following the plain file (rsyslog''s imfile) that is behind or stopped for a while still reads it whole; 0 compresses as soon as the file is closed [default: tool_log.compress_grace in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--redact-key', '--redact-key', [CompletionResultType]::ParameterName, 'Also treat keys containing WORD as secrets (repeatable), besides the built-in ones: keys containing password, passwd, passphrase, secret, token, apikey, accesskey, privatekey, authorization, bearer, cookie, session, credential, pincode or clientkeydata, keys with a word pass, pwd, auth, dsn, sig, signature, jwt, otp, totp, hotp, mfa, cvv, cvc or psk, most keys whose last word is key, and the word for password in other languages (passwort, пароль, 密码, …; see docs/security.md); compared without case, - or _')
            [CompletionResult]::new('--sync', '--sync', [CompletionResultType]::ParameterName, 'When appended entries are flushed to disk: `never` (the OS writes them back; an acknowledged entry survives a crash of the writer but not a power loss), `batch` (one fdatasync shared by concurrent writers before they return), `always` (one fdatasync per entry) [default: never]')
            [CompletionResult]::new('--portable', '--portable', [CompletionResultType]::ParameterName, 'Write the portable component instead: it imports nothing but WASI 0.2 and also runs as a command (`wasmtime run --dir LOGS::/ FILE record ...`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'auditlog;generate' {
            [CompletionResult]::new('--out-dir', '--out-dir', [CompletionResultType]::ParameterName, 'Write every kind instead, each to its place under DIR (`docs/` in the repository): cli-reference.md, man/auditlog.1, completions/')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The log directory; writes create it if missing, reads refuse a missing one')
            [CompletionResult]::new('--component', '--component', [CompletionResultType]::ParameterName, 'Run this component file instead of the built-in one')
            [CompletionResult]::new('--timeout-ms', '--timeout-ms', [CompletionResultType]::ParameterName, 'Stop a call into the component that runs longer than this many milliseconds [default: 30000]')
            [CompletionResult]::new('--memory-limit-mb', '--memory-limit-mb', [CompletionResultType]::ParameterName, 'Stop a call that grows the component''s memory beyond this many MiB [default: 256]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'Link entries with HMAC-SHA-256 under the key in this file (at least 16 bytes besides surrounding whitespace; outside the log directory, not reached through a symbolic link or hard link there; not readable by every user: `chmod 600`). Use the same key to verify; a keyed log refuses writes without it')
            [CompletionResult]::new('--max-entry-bytes', '--max-entry-bytes', [CompletionResultType]::ParameterName, 'Cut entries larger than this many bytes field by field (longest strings first) and mark them "truncated": true; an entry is never refused for its size alone [default: 102400]')
            [CompletionResult]::new('--max-file-bytes', '--max-file-bytes', [CompletionResultType]::ParameterName, 'Roll a user''s day file over into a new segment (YYYY-MM-DD.1.jsonl, .2.jsonl, ...) once it holds this many bytes; 0 turns it off [default: tool_log.max_file_bytes in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--max-days', '--max-days', [CompletionResultType]::ParameterName, 'Keep each user''s tool log for its last N UTC days, today included, judged by the entries'' own timestamps; 0 keeps every day [default: tool_log.max_days in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--max-user-bytes', '--max-user-bytes', [CompletionResultType]::ParameterName, 'Keep at most this many bytes of tool-log files per user, deleting the oldest files first; 0 is no bound [default: tool_log.max_user_bytes in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--compress', '--compress', [CompletionResultType]::ParameterName, 'Gzip closed tool-log files (a segment once the next one starts, a day''s last file once that day is two days past): true or false [default: tool_log.compress in DIR/auditlog.toml, else false]')
            [CompletionResult]::new('--compress-grace', '--compress-grace', [CompletionResultType]::ParameterName, 'With compress, gzip a closed tool-log file only once its last entry is at least this many seconds old, so that a log shipper following the plain file (rsyslog''s imfile) that is behind or stopped for a while still reads it whole; 0 compresses as soon as the file is closed [default: tool_log.compress_grace in DIR/auditlog.toml, else 0]')
            [CompletionResult]::new('--redact-key', '--redact-key', [CompletionResultType]::ParameterName, 'Also treat keys containing WORD as secrets (repeatable), besides the built-in ones: keys containing password, passwd, passphrase, secret, token, apikey, accesskey, privatekey, authorization, bearer, cookie, session, credential, pincode or clientkeydata, keys with a word pass, pwd, auth, dsn, sig, signature, jwt, otp, totp, hotp, mfa, cvv, cvc or psk, most keys whose last word is key, and the word for password in other languages (passwort, пароль, 密码, …; see docs/security.md); compared without case, - or _')
            [CompletionResult]::new('--sync', '--sync', [CompletionResultType]::ParameterName, 'When appended entries are flushed to disk: `never` (the OS writes them back; an acknowledged entry survives a crash of the writer but not a power loss), `batch` (one fdatasync shared by concurrent writers before they return), `always` (one fdatasync per entry) [default: never]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'auditlog;help' {
            [CompletionResult]::new('record', 'record', [CompletionResultType]::ParameterValue, 'Record one skill run in DIR/audit_log.json and print the seed''s response JSON')
            [CompletionResult]::new('tool', 'tool', [CompletionResultType]::ParameterValue, 'Record one tool call in DIR/USER/tool_audit/YYYY-MM-DD.jsonl (today, UTC)')
            [CompletionResult]::new('recent', 'recent', [CompletionResultType]::ParameterValue, 'Show the newest entries of the skill log or of tool logs, newest first')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Show totals over the entries of a log: counts, error rate, durations')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve recent entries and stats read-only over HTTP as JSON, behind bearer tokens, and the admin console at `/`')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check that no entry was modified, removed, inserted or reordered')
            [CompletionResult]::new('repair', 'repair', [CompletionResultType]::ParameterValue, 'Find damaged log files; keep their intact entries and move the rest aside')
            [CompletionResult]::new('adopt', 'adopt', [CompletionResultType]::ParameterValue, 'Seal the legacy entries (written by another writer) the logs hold, so that verify proves them unchanged from now on')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Apply the rotation policy now: compress closed tool-log files and delete what retention no longer keeps')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show the configuration: the rotation policy in force (`config show`)')
            [CompletionResult]::new('run-skill', 'run-skill', [CompletionResultType]::ParameterValue, 'Run a sandboxed skill component for a user and record the run')
            [CompletionResult]::new('component', 'component', [CompletionResultType]::ParameterValue, 'Write the built-in component (a WebAssembly component) to a file')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Print documentation generated from the command line''s own definitions')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'auditlog;help;record' {
            break
        }
        'auditlog;help;tool' {
            break
        }
        'auditlog;help;recent' {
            break
        }
        'auditlog;help;stats' {
            break
        }
        'auditlog;help;serve' {
            break
        }
        'auditlog;help;verify' {
            break
        }
        'auditlog;help;repair' {
            break
        }
        'auditlog;help;adopt' {
            break
        }
        'auditlog;help;rotate' {
            break
        }
        'auditlog;help;config' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the rotation policy in force: each value and where it came from (default, DIR/auditlog.toml, a flag or an environment variable)')
            break
        }
        'auditlog;help;config;show' {
            break
        }
        'auditlog;help;run-skill' {
            break
        }
        'auditlog;help;component' {
            break
        }
        'auditlog;help;generate' {
            break
        }
        'auditlog;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
