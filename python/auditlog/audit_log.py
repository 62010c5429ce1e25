"""Drop-in for the seed's ``audit_log.py``: the same arguments, response JSON
and exit status as ``auditlog record`` (the component answers the call:
``record-seed``), in-process.

Usage -- the seed's arguments, an empty string leaving an optional one out::

    audit_log SKILL STATUS [DURATION_MS] [ERRORS_JSON] [METADATA_JSON] [--max-entries N]
    python -m auditlog.audit_log workflow.validate success 150
    python -m auditlog.audit_log workflow.compose failed 5000 '["Step 3 failed"]'

or from Python, as a skill executor runs a skill in-process (``sys.stdout``
may be any text stream, an ``io.StringIO`` included)::

    from auditlog import audit_log
    code = audit_log.main(["api.validate", "success", "250", "[]", '{"api": "users.yaml"}'])

It appends one entry to ``audit_log.json`` in the log directory and prints the
seed's response JSON: ``{"ok": true, "status": "success", "errors": [],
"path", "details": {"status", "audit_entry", "audit_log_path",
"total_entries"}}``; on failure ``ok`` is false, ``errors`` holds the message
(also printed on stderr) and nothing is written.

Exit status: 0 on success; 2 when an input is refused (also a wrong number of
arguments, which prints the usage instead of JSON); 1 for anything else.

Environment, as for the ``auditlog`` CLI: ``AUDITLOG_DIR`` the log directory
(``./audit`` when unset), ``AUDITLOG_KEY_FILE`` the chain key's file,
``AUDITLOG_SYNC`` never | batch | always. ``DIR/auditlog.toml`` is read.
"""

from __future__ import annotations

import os
import sys
from typing import Any, Dict, List, Optional, Sequence

from . import _native
from .errors import AuditLogError, ConfigError, InvalidInput

PROG = "audit_log"
USAGE = f"usage: {PROG} SKILL STATUS [DURATION_MS] [ERRORS_JSON] [METADATA_JSON] [--max-entries N]"
LOG_FILE = "audit_log.json"

__all__ = ["main"]


class Usage(Exception):
    """The command line does not have the seed's shape."""


def parse_args(argv: Sequence[str]) -> Dict[str, Any]:
    """``argv`` (without the program) as ``{"positional": [...], "max_entries": N}``,
    or ``{"help": True}`` for ``-h``/``--help``; :class:`Usage` for anything
    else, a non-``str`` item included."""
    positional: List[str] = []
    max_entries: Optional[int] = None
    args = list(argv)
    for arg in args:
        if not isinstance(arg, str):
            raise Usage(f"every argument must be a str, got {type(arg).__name__} {arg!r}")
    i = 0
    options = True
    while i < len(args):
        arg = args[i]
        i += 1
        if options and arg == "--":
            options = False
        elif options and arg in ("-h", "--help"):
            return {"help": True}
        elif options and (arg == "--max-entries" or arg.startswith("--max-entries=")):
            if "=" in arg:
                value = arg.split("=", 1)[1]
            elif i < len(args):
                value, i = args[i], i + 1
            else:
                raise Usage("--max-entries needs a value")
            if not (value.isascii() and value.isdigit()) or int(value) > 2**32 - 1:
                raise Usage(f"--max-entries: must be a whole number, got {value!r}")
            max_entries = int(value)
        else:
            positional.append(arg)
    if len(positional) < 2:
        raise Usage("SKILL and STATUS are required")
    if len(positional) > 5:
        raise Usage(f"unexpected argument {positional[5]!r}")
    return {"positional": positional, "max_entries": max_entries}


def _print(text: str) -> None:
    """``text`` and a newline on stdout: as UTF-8 bytes when stdout has a
    binary buffer (whatever its encoding), else as text (``io.StringIO``);
    nothing when there is no stdout (``None`` under pythonw), as ``print``."""
    if sys.stdout is None:
        return
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text + "\n")
        return
    sys.stdout.flush()
    buffer.write((text + "\n").encode("utf-8"))
    buffer.flush()


def _say(message: str) -> None:
    """``message`` on stderr, after the program's name."""
    _say_raw(f"{PROG}: {message}")


def _say_raw(line: str) -> None:
    """``line`` on stderr; nothing when there is no stderr."""
    if sys.stderr is not None:
        sys.stderr.write(line + "\n")


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Runs the seed's command line (``sys.argv[1:]`` by default) and returns
    its exit status."""
    if argv is None:
        argv = sys.argv[1:]
    try:
        args = parse_args(argv)
    except Usage as e:
        _say(str(e))
        _say_raw(USAGE)
        return 2
    if args.get("help"):
        _print(USAGE + "\n\n" + (__doc__ or "").split("\n\n", 1)[1].rstrip())
        return 0
    log_dir = os.environ.get("AUDITLOG_DIR") or "audit"
    settings: Dict[str, Any] = {"max_entries": args["max_entries"]}
    if os.environ.get("AUDITLOG_KEY_FILE"):
        settings["key_file"] = os.environ["AUDITLOG_KEY_FILE"]
    if os.environ.get("AUDITLOG_SYNC"):
        settings["sync"] = os.environ["AUDITLOG_SYNC"]
    try:
        answer = _native.AuditLog(log_dir, **settings).record_seed(args["positional"])
    except AuditLogError as e:
        # A failure before the component could answer, answered as the CLI does.
        field = e.field if isinstance(e, InvalidInput) else None
        path = os.path.abspath(os.path.join(log_dir, LOG_FILE))
        answer = _native.seed_failure(e.message, field, path)
        answer["exit_code"] = 2 if isinstance(e, (InvalidInput, ConfigError)) else 1
    _print(answer["response"])
    for line in answer["report"]:
        _say(line)
    return int(answer["exit_code"])


if __name__ == "__main__":
    sys.exit(main())
