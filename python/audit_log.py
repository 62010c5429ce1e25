#!/usr/bin/env python3
"""Drop-in replacement for the seed's ``audit_log.py``, backed by the auditlog
component (through :mod:`auditlog_wasm`, next to this file).

Usage -- the seed's arguments, an empty string leaving an optional one out::

    python audit_log.py SKILL STATUS [DURATION_MS] [ERRORS_JSON] [METADATA_JSON] [--max-entries N]

    python audit_log.py workflow.validate success 150
    python audit_log.py workflow.compose failed 5000 '["Step 3 failed", "Timeout occurred"]'
    python audit_log.py api.validate success 250 "[]" '{"api": "users.yaml", "endpoints": 12}'

It appends one entry to ``audit_log.json`` in the log directory and prints the
seed's response JSON, exactly as ``auditlog record`` does: the component reads
the arguments and writes the response (``record-seed`` in
``wit/auditlog.wit``); this script only splits its command line::

    {"ok": true, "status": "success", "errors": [], "path": ".../audit_log.json",
     "details": {"status": "success", "audit_entry": {...},
                 "audit_log_path": ".../audit_log.json", "total_entries": 42}}

On failure ``ok`` is false, ``status`` is ``"failed"``, ``errors`` holds the
message, ``details.error`` is ``{"error": "SkillValidationError" (a refused
input, with ``details.field``) | "AuditLogError", "message", "details"}``,
nothing is written, and the message is also printed on stderr.

Exit status: 0 on success; 2 when an input is refused (also for a wrong number
of arguments, which prints the usage instead of JSON); 1 for anything else
(storage failure, damaged log file, component missing or failing).

Environment:

``AUDITLOG_DIR``
    The log directory (created if missing); ``./audit`` when unset, as for the
    ``auditlog`` CLI.
``AUDITLOG_COMPONENT``
    The portable component; ``auditlog-portable.wasm`` next to this file when
    unset (``auditlog component --portable --out python/auditlog-portable.wasm``).
``AUDITLOG_CACHE_DIR``
    Set empty, compiled code is not cached (see :mod:`auditlog_wasm`).
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any, Dict, List, Optional, Sequence

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import auditlog_wasm  # noqa: E402

PROG = "audit_log.py"
USAGE = f"usage: {PROG} SKILL STATUS [DURATION_MS] [ERRORS_JSON] [METADATA_JSON] [--max-entries N]"


class Usage(Exception):
    """The command line does not have the seed's shape."""


def parse_args(argv: Sequence[str]) -> Dict[str, Any]:
    """``argv`` (without the program) as ``{"positional": [...], "max_entries": N}``."""
    positional: List[str] = []
    max_entries: Optional[int] = None
    args = list(argv)
    i = 0
    options = True
    while i < len(args):
        arg = args[i]
        i += 1
        if options and arg == "--":
            options = False
        elif options and arg in ("-h", "--help"):
            raise SystemExit(_help())
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


def _help() -> int:
    sys.stdout.write(USAGE + "\n\n" + (__doc__ or "").split("\n\n", 1)[1])
    return 0


def unanswered(error: auditlog_wasm.AuditLogError, log_path: str) -> Dict[str, Any]:
    """The seed's failure answer for a failure before the component could
    answer (it cannot be loaded, the log directory cannot be opened, a refused
    ``--max-entries``); every other answer is the component's (``record-seed``)."""
    if isinstance(error, auditlog_wasm.InvalidInput):
        kind, details, code = "SkillValidationError", {"field": error.field}, 2
    else:
        kind, details, code = "AuditLogError", {}, 1
    response = {
        "ok": False,
        "status": "failed",
        "errors": [error.message],
        "path": log_path,
        "details": {"error": {"error": kind, "message": error.message, "details": details}},
    }
    # As serde_json's pretty printer, which writes the component's answers.
    text = json.dumps(response, indent=2, ensure_ascii=False)
    return {"exit_code": code, "response": text, "report": [error.message]}


def _print(response: str) -> None:
    """``response`` and a newline on stdout: as UTF-8 bytes when stdout has a
    binary buffer, else as text -- a skill executor that runs this in-process
    replaces ``sys.stdout`` with an ``io.StringIO``, which has none; nothing
    when there is no stdout (``None`` under pythonw), as ``print``."""
    if sys.stdout is None:
        return
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(response + "\n")
        return
    sys.stdout.flush()
    buffer.write((response + "\n").encode("utf-8"))
    buffer.flush()


def _say(message: str) -> None:
    """``message`` on stderr, after the program's name."""
    _say_raw(f"{PROG}: {message}")


def _say_raw(line: str) -> None:
    """``line`` on stderr; nothing when there is no stderr."""
    if sys.stderr is not None:
        sys.stderr.write(line + "\n")


def main(argv: Optional[Sequence[str]] = None) -> int:
    try:
        args = parse_args(sys.argv[1:] if argv is None else argv)
    except Usage as e:
        _say(str(e))
        _say_raw(USAGE)
        return 2
    log_dir = os.environ.get("AUDITLOG_DIR")
    if log_dir == "":
        _say("AUDITLOG_DIR is set but empty; unset it for ./audit")
        return 2
    log_dir = log_dir if log_dir is not None else "audit"
    log_path = auditlog_wasm.absolute(os.path.join(log_dir, "audit_log.json"))
    try:
        log = auditlog_wasm.AuditLog(log_dir, max_entries=args["max_entries"])
        answer = log.record_seed(args["positional"], log_path)
    except auditlog_wasm.AuditLogError as e:
        answer = unanswered(e, log_path)
    _print(answer["response"])
    for line in answer["report"]:
        _say(line)
    return answer["exit_code"]


if __name__ == "__main__":
    sys.exit(main())
