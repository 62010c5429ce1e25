"""Drop-in for the orchestrator's ``tool_audit`` module: the same functions,
arguments and files, written by the auditlog component.

One JSONL file per user per (UTC) day, ``<root>/<user>/tool_audit/YYYY-MM-DD.jsonl``,
each line ``{ts, user, tool, args, status, result_chars, result_snippet}``
(string values in ``args`` over 500 characters cut to 500 plus
`` …[N chars total]``, the first 300 characters of the result kept) --
now also redacted, hash-chained (``seq``, ``hash``) and locked across threads
and processes::

    from auditlog import tool_audit

    asyncio.create_task(tool_audit.record(user, "file_read", {"path": p}, "ok", result))
    tool_audit.read_recent("alice")                 # newest first, 7 days, 200 entries
    tool_audit.read_recent_all_users(days=1)        # every user, newest first, 500 entries

The root: :func:`configure`'s ``root``, else ``$AUDITLOG_DIR``, else ``home``
(relative to the working directory), as the orchestrator's ``home/``. Files
the orchestrator wrote before are read as they are (legacy entries; see
``AuditLog.adopt``).

Differences from the seed, on purpose: the day and ``ts`` are UTC (``ts`` ends
in ``Z``); a refused input (a user name such as ``../x``, an unknown status)
is logged and not written, as a failed write is; ``read_recent`` raises
:class:`auditlog.InvalidInput` for a bad user name rather than reading
outside the root.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from typing import Any, Dict, List, Optional, Union

from ._native import AuditLog
from .errors import AuditLogError

__all__ = ["configure", "read_recent", "read_recent_all_users", "record"]

logger = logging.getLogger(__name__)

#: The root when neither :func:`configure` nor ``$AUDITLOG_DIR`` names one.
DEFAULT_ROOT = "home"

_lock = threading.Lock()
_root: Optional[str] = None
_settings: Dict[str, Any] = {}
_logs: Dict[str, AuditLog] = {}


def configure(root: Union[None, str, "os.PathLike[str]"] = None, **settings: Any) -> None:
    """Sets the root directory (``None``: back to ``$AUDITLOG_DIR`` or
    ``home``) and :class:`auditlog.AuditLog` settings (``max_days``,
    ``compress``, ``key_file``, ...) for the calls that follow."""
    global _root, _settings
    with _lock:
        _root = None if root is None else os.fspath(root)
        _settings = dict(settings)
        _logs.clear()


def _log() -> AuditLog:
    """The log of the current root, opened once."""
    root = _root if _root is not None else os.environ.get("AUDITLOG_DIR") or DEFAULT_ROOT
    with _lock:
        log = _logs.get(root)
        if log is None:
            log = _logs[root] = AuditLog(root, **_settings)
        return log


async def record(
    user: str,
    tool: str,
    args: Dict[str, Any],
    status: str,
    result: str = "",
) -> None:
    """Append one audit entry. Fire with ``asyncio.create_task`` -- never awaited
    directly. The write runs in a worker thread, so the event loop is never
    blocked; a failure is logged as a warning (as the seed does), never
    raised, so that a fire-and-forget task cannot end with an exception."""
    try:
        log = _log()
        await asyncio.get_running_loop().run_in_executor(
            None, log.tool, user, tool, status, args, result
        )
    except AuditLogError as e:
        logger.warning("audit log write failed for %s: %s", user, e)


def read_recent(user: str, days: int = 7, limit: int = 200) -> List[Dict[str, Any]]:
    """Read the most recent `limit` entries across the last `days` days.

    Returns entries sorted newest-first."""
    return _log().recent(user=user, days=days, limit=limit)


def read_recent_all_users(days: int = 7, limit: int = 500) -> List[Dict[str, Any]]:
    """Read recent entries across all users, sorted newest-first."""
    return _log().recent(all_users=True, days=days, limit=limit)
