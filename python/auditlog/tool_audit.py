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

Fire and forget: once :func:`record`'s task has taken its first step, the
entry is written even if the task is then cancelled or the event loop shuts
down (``asyncio.run`` returning): the write runs in a worker thread of this
module's own, whose queued writes the interpreter finishes before it exits.

Every call is recorded. When the log refuses a call's ``args`` (over the
1 MiB the log takes for them, not a JSON object, not encodable as JSON) or
its ``result`` (not text, or too large for the component's memory), the call
is recorded all the same, with what was refused replaced by a note:

- ``args``: ``{"[auditlog]": "args not recorded (args: is 1126435 bytes; at
  most 1048576 are accepted)"}`` -- the refusal, never the refused values;
- ``result``: ``"[auditlog] result not recorded (...)"``, so ``result_chars``
  and ``result_snippet`` describe the note.

Differences from the seed, on purpose: the day and ``ts`` are UTC (``ts`` ends
in ``Z``); a refused user, tool or status (a user name such as ``../x``, an
unknown status) is logged as a warning and not written, as a failed write is;
``read_recent`` raises :class:`auditlog.InvalidInput` for a bad user name
rather than reading outside the root. Reads never create the root: while it
does not exist they return ``[]``, as the seed's do.

After ``os.fork()`` the child starts afresh: its own logs, lock and worker
thread, none of the parent's.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import logging
import os
import shutil
import tempfile
import threading
from typing import Any, Dict, List, Optional, Union

from ._native import AuditLog, setting_names
from .errors import InvalidInput, MemoryLimitExceeded

__all__ = ["configure", "read_recent", "read_recent_all_users", "record"]

logger = logging.getLogger(__name__)

#: The root when neither :func:`configure` nor ``$AUDITLOG_DIR`` names one.
DEFAULT_ROOT = "home"

#: The key of the object that stands for ``args`` the log refused.
NOTE_KEY = "[auditlog]"

_lock = threading.Lock()
_root: Optional[str] = None
_settings: Dict[str, Any] = {}
_logs: Dict[str, AuditLog] = {}
_writer: Optional[concurrent.futures.ThreadPoolExecutor] = None
_nothing_recorded: Optional[AuditLog] = None


def configure(root: Union[None, str, "os.PathLike[str]"] = None, **settings: Any) -> None:
    """Sets the root directory (``None``: back to ``$AUDITLOG_DIR`` or
    ``home``) and :class:`auditlog.AuditLog` settings (``max_days``,
    ``compress``, ``key_file``, ...) for the calls that follow. An unknown
    setting is a ``TypeError``, raised here; a refused value is raised by
    the first read (and logged by the first :func:`record`)."""
    global _root, _settings
    unknown = sorted(set(settings) - set(setting_names()))
    if unknown:
        raise TypeError(f"configure() got an unexpected keyword argument {unknown[0]!r}")
    with _lock:
        _root = None if root is None else os.fspath(root)
        _settings = dict(settings)
        _logs.clear()


def _current_root() -> str:
    """The root calls use now: see the module's doc."""
    return _root if _root is not None else os.environ.get("AUDITLOG_DIR") or DEFAULT_ROOT


def _log() -> AuditLog:
    """The log of the current root, opened once (creating the root)."""
    root = _current_root()
    with _lock:
        log = _logs.get(root)
        if log is None:
            log = _logs[root] = AuditLog(root, **_settings)
        return log


def _reader() -> AuditLog:
    """The log reads go to: the current root's, or, while the root does not
    exist, a read-only one over an empty directory of this process's own --
    so that a read creates nothing and answers ``[]``, after the same checks
    of its arguments."""
    global _nothing_recorded
    if os.path.isdir(_current_root()):
        return _log()
    with _lock:
        if _nothing_recorded is None:
            empty = tempfile.mkdtemp(prefix="auditlog-empty-")
            atexit.register(_remove, empty, os.getpid())
            _nothing_recorded = AuditLog(empty, read_only=True, read_config_file=False)
        return _nothing_recorded


def _remove(directory: str, owner: int) -> None:
    """Removes ``directory`` at exit, in the process that made it only (a
    forked child inherits the handler, not the directory)."""
    if os.getpid() == owner:
        shutil.rmtree(directory, ignore_errors=True)


def _executor() -> concurrent.futures.ThreadPoolExecutor:
    """The worker threads :func:`record` writes in. Not the event loop's
    executor: ``asyncio.run`` cancels what is still queued there, while the
    interpreter runs what is queued here before it exits."""
    global _writer
    with _lock:
        if _writer is None:
            _writer = concurrent.futures.ThreadPoolExecutor(thread_name_prefix="auditlog-tool_audit")
        return _writer


def _after_fork_in_child() -> None:
    """Forgets the parent's state in a forked child, without touching it: a
    lock or log another thread of the parent was using stays as it was."""
    global _lock, _logs, _writer, _nothing_recorded
    _lock = threading.Lock()
    _logs = {}
    _writer = None
    _nothing_recorded = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def _args_note(refusal: InvalidInput) -> Dict[str, str]:
    """What stands for ``args`` the log refused: the refusal when it is of
    the whole value (its size, its type), which quotes no value; only where,
    when it is of something inside (whose reason may quote the value)."""
    if refusal.field == "args":
        return {NOTE_KEY: f"args not recorded ({refusal})"}
    return {NOTE_KEY: f"args not recorded ({refusal.field} was refused)"}


def _result_note(why: str) -> str:
    """What stands for a ``result`` the log could not take."""
    return f"{NOTE_KEY} result not recorded ({why})"


def _of_args(field: str) -> bool:
    """Whether a refusal's ``field`` is ``args`` or a value inside it."""
    return field == "args" or field.startswith(("args.", "args["))


def _write(user: Any, tool: Any, args: Any, status: Any, result: Any) -> None:
    """Records one call, in a worker thread; every failure is logged, never
    raised. ``args`` or ``result`` the log refuses are replaced by a note
    (see the module's doc) and the call recorded all the same; a refused
    ``user``, ``tool`` or ``status`` is the caller's and is logged."""
    args_noted = result_noted = False
    try:
        log = _log()
        while True:
            try:
                log.tool(user, tool, status, args, result)
                return
            except InvalidInput as refusal:
                if _of_args(refusal.field) and not args_noted:
                    args, args_noted = _args_note(refusal), True
                elif refusal.field == "result" and not result_noted:
                    result, result_noted = _result_note(str(refusal)), True
                else:
                    raise
            except MemoryLimitExceeded as error:
                if result_noted:
                    raise
                size = len(result) if isinstance(result, str) else 0
                result, result_noted = _result_note(f"{size} characters: {error}"), True
    except Exception as error:  # a fire-and-forget task must not end with one
        logger.warning("audit log write failed for %s: %s", user, error)


def _settle(waiter: "asyncio.Future[None]") -> None:
    """Wakes the task waiting for a write, unless it no longer waits."""
    if not waiter.done():
        waiter.set_result(None)


async def record(
    user: str,
    tool: str,
    args: Dict[str, Any],
    status: str,
    result: str = "",
) -> None:
    """Append one audit entry. Fire with ``asyncio.create_task`` -- never awaited
    directly. The first step of the task hands the write to a worker thread,
    which completes it even if the task is then cancelled or the loop shuts
    down; the event loop is never blocked. A failure is logged as a warning
    (as the seed does), never raised, so that a fire-and-forget task cannot
    end with an exception. ``args`` or a ``result`` the log refuses are
    replaced by a note, and the call recorded (see the module's doc)."""
    loop = asyncio.get_running_loop()
    written = _executor().submit(_write, user, tool, args, status, result)
    waiter = loop.create_future()

    def wake(_: "concurrent.futures.Future[None]") -> None:
        try:
            loop.call_soon_threadsafe(_settle, waiter)
        except RuntimeError:
            pass  # the loop has closed: nobody waits for the write any more

    written.add_done_callback(wake)
    await waiter


def read_recent(user: str, days: int = 7, limit: int = 200) -> List[Dict[str, Any]]:
    """Read the most recent `limit` entries across the last `days` days.

    Returns entries sorted newest-first."""
    return _reader().recent(user=user, days=days, limit=limit)


def read_recent_all_users(days: int = 7, limit: int = 500) -> List[Dict[str, Any]]:
    """Read recent entries across all users, sorted newest-first."""
    return _reader().recent(all_users=True, days=days, limit=limit)
