"""Audit logs for skill runs and tool calls, written by the auditlog
WebAssembly component inside this process (the Rust host library, built into
``auditlog._native``) -- the same files, rules and locks as the ``auditlog``
CLI::

    import auditlog

    log = auditlog.AuditLog("audit", max_entries=1000)
    log.record("workflow.compose", "failed", 5000, ["Step 3 failed"], {"steps": 5})
    log.tool("alice", "file_read", "ok", args={"path": "notes.txt"}, result="hello")
    log.recent(user="alice", limit=20)          # newest first, a list of dicts
    log.stats(all_users=True, days=1)["error_rate"]
    log.verify()["ok"]

Also here: :mod:`auditlog.aio` (the same calls as awaitables that never block
the event loop), :mod:`auditlog.tool_audit` (the orchestrator's
``tool_audit`` module, a drop-in), :mod:`auditlog.audit_log` (the seed's
``audit_log.py``, also the ``audit_log`` command) and :mod:`auditlog.errors`.
"""

from . import errors
from ._native import AuditLog, __version__

# Every exception class, under the names errors.__all__ lists once.
from .errors import *  # noqa: F403

__all__ = ["AuditLog", "__version__"]
__all__ += errors.__all__
