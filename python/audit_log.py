#!/usr/bin/env python3
"""Drop-in replacement for the seed's ``audit_log.py``, backed by the auditlog
component (through :mod:`auditlog_wasm`, next to this file).

Usage -- the seed's arguments, an empty string leaving an optional one out::

    python audit_log.py SKILL STATUS [DURATION_MS] [ERRORS_JSON] [METADATA_JSON] [--max-entries N]

    python audit_log.py workflow.validate success 150
    python audit_log.py workflow.compose failed 5000 '["Step 3 failed", "Timeout occurred"]'
    python audit_log.py api.validate success 250 "[]" '{"api": "users.yaml", "endpoints": 12}'

It appends one entry to ``audit_log.json`` in the log directory and prints the
seed's response JSON, exactly as ``auditlog record`` does::

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
    Where the compiled component is kept (see :mod:`auditlog_wasm`).
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

# What Rust's `str::trim` strips (Unicode White_Space), so that DURATION_MS is
# read exactly as `auditlog record` reads it.
_WHITE_SPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


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


def skill_run(positional: Sequence[str]) -> Dict[str, Any]:
    """The positional arguments as :meth:`auditlog_wasm.AuditLog.append_skill`'s;
    empty optional ones are left out. Raises :class:`auditlog_wasm.InvalidInput`."""
    given = [arg if arg != "" else None for arg in list(positional[2:]) + [None] * 3]
    duration_text, errors_text, metadata = given[:3]
    for field, value in zip(("skill", "status", "duration_ms", "errors", "metadata"), positional):
        auditlog_wasm._text(field, value)  # refuses text that is not UTF-8
    duration_ms = None
    if duration_text is not None:
        digits = duration_text.strip(_WHITE_SPACE)
        digits = digits[1:] if digits.startswith("+") else digits
        if not (digits.isascii() and digits.isdigit()) or int(digits) > 2**64 - 1:
            raise auditlog_wasm.InvalidInput(
                "duration_ms",
                f"must be a non-negative whole number of milliseconds, got {json.dumps(duration_text, ensure_ascii=False)}",
            )
        duration_ms = int(digits)
    errors = None
    if errors_text is not None:
        try:
            value = json.loads(errors_text)
        except (ValueError, RecursionError) as e:
            raise auditlog_wasm.InvalidInput("errors", f"is not valid JSON: {e}") from None
        if not isinstance(value, list):
            raise auditlog_wasm.InvalidInput("errors", "must be a JSON array of strings")
        for i, item in enumerate(value):
            if not isinstance(item, str):
                raise auditlog_wasm.InvalidInput(
                    "errors", f"must be a JSON array of strings; item {i} is not a string"
                )
        errors = value
    return {
        "skill": positional[0],
        "status": positional[1],
        "duration_ms": duration_ms,
        "errors": errors,
        "metadata": metadata,  # JSON text: the component checks it
    }


def success(receipt: Dict[str, Any]) -> Dict[str, Any]:
    response: Dict[str, Any] = {
        "ok": True,
        "status": "success",
        "errors": [],
        "path": receipt["path"],
        "details": {
            "status": "success",
            "audit_entry": receipt["entry"],
            "audit_log_path": receipt["path"],
            "total_entries": receipt["total_entries"],
        },
    }
    if receipt["recovered"]:
        response["details"]["recovered"] = receipt["recovered"]
    if receipt["warnings"]:
        response["details"]["warnings"] = receipt["warnings"]
    return response


def failure(error: auditlog_wasm.AuditLogError, log_path: str) -> Dict[str, Any]:
    if isinstance(error, auditlog_wasm.InvalidInput):
        kind, details = "SkillValidationError", {"field": error.field}
    else:
        kind, details = "AuditLogError", {}
    return {
        "ok": False,
        "status": "failed",
        "errors": [error.message],
        "path": log_path,
        "details": {"error": {"error": kind, "message": error.message, "details": details}},
    }


def _print(response: Dict[str, Any]) -> None:
    # As serde_json's pretty printer: two spaces, non-ASCII kept, UTF-8 out.
    text = json.dumps(response, indent=2, ensure_ascii=False) + "\n"
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()


def _say(message: str) -> None:
    sys.stderr.write(f"{PROG}: {message}\n")


def main(argv: Optional[Sequence[str]] = None) -> int:
    try:
        args = parse_args(sys.argv[1:] if argv is None else argv)
    except Usage as e:
        _say(str(e))
        sys.stderr.write(USAGE + "\n")
        return 2
    log_dir = os.environ.get("AUDITLOG_DIR")
    if log_dir == "":
        _say("AUDITLOG_DIR is set but empty; unset it for ./audit")
        return 2
    log_dir = log_dir if log_dir is not None else "audit"
    log_path = auditlog_wasm.absolute(os.path.join(log_dir, "audit_log.json"))
    try:
        run = skill_run(args["positional"])
        log = auditlog_wasm.AuditLog(log_dir, max_entries=args["max_entries"])
        receipt = log.append_skill(**run)
    except auditlog_wasm.AuditLogError as e:
        _print(failure(e, log_path))
        _say(e.message)
        return 2 if isinstance(e, auditlog_wasm.InvalidInput) else 1
    for repair in receipt["recovered"]:
        _say(repair["notice"])
    for warning in receipt["warnings"]:
        _say(f"warning: {warning}")
    _print(success(receipt))
    return 0


if __name__ == "__main__":
    sys.exit(main())
