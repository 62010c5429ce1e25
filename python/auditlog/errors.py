"""The exceptions of :mod:`auditlog`: one hierarchy, mirroring the Rust host
library's ``auditlog::Error``.

Every failed call raises an :class:`AuditLogError` and leaves the log exactly as
it was (but :class:`FlushError`: the entry was written). ``str(error)`` is the
message the ``auditlog`` CLI prints after ``auditlog:``::

    AuditLogError
    ├── InvalidInput (also a ValueError)   an input was refused: .field, .reason
    ├── ConfigError (also a ValueError)    DIR/auditlog.toml is unreadable or invalid
    ├── StorageError                       reading or writing the log failed
    │   └── DirectoryError                 the log directory cannot be created or opened
    ├── CorruptLog                         a log file is damaged (repair() mends it)
    ├── FlushError                         written, but not flushed to stable storage
    └── ComponentError                     the component cannot load, or trapped
        ├── TimeLimitExceeded              a call ran past timeout_ms
        └── MemoryLimitExceeded            a call grew past memory_limit_mb

The CLI exits with 2 for :class:`InvalidInput` and :class:`ConfigError`, and
with 1 for the others.

Every exception pickles (``multiprocessing`` and ``ProcessPoolExecutor`` send
them between processes): it comes back of the same class, with the same
message and attributes.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Tuple

__all__ = [
    "AuditLogError",
    "ComponentError",
    "ConfigError",
    "CorruptLog",
    "DirectoryError",
    "FlushError",
    "InvalidInput",
    "MemoryLimitExceeded",
    "StorageError",
    "TimeLimitExceeded",
]


def _rebuilt(cls: type, message: str, attributes: Dict[str, Any]) -> "AuditLogError":
    """The exception :meth:`AuditLogError.__reduce__` pickled: of class
    ``cls``, with ``message`` and ``attributes``, without calling the class's
    own ``__init__`` (whose parameters differ from class to class)."""
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(attributes)
    return error


class AuditLogError(Exception):
    """A call failed; ``message`` says why, as the ``auditlog`` CLI does."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __reduce__(self) -> Tuple[Any, ...]:
        # ``args`` holds the message only, not what ``__init__`` takes:
        # rebuild from the message and the attributes instead.
        return (_rebuilt, (type(self), self.message, dict(self.__dict__)))


class InvalidInput(AuditLogError, ValueError):
    """An input was refused; nothing was written. ``field`` names it as the
    stored entry, a setting or the CLI spells it (``status``, ``duration_ms``,
    ``args``, ``max_entries``, ``source``); ``reason`` says why."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class ConfigError(AuditLogError, ValueError):
    """The log directory's ``auditlog.toml`` cannot be read or holds something
    invalid; nothing was opened. ``path`` is the file, ``key`` the offending
    dotted key (``tool_log.max_days``) and ``line`` its line, when known."""

    def __init__(
        self,
        message: str,
        path: str = "",
        key: Optional[str] = None,
        line: Optional[int] = None,
        reason: str = "",
    ) -> None:
        super().__init__(message)
        self.path = path
        self.key = key
        self.line = line
        self.reason = reason


class StorageError(AuditLogError):
    """Writing or reading the log failed (disk full, permission, I/O error);
    nothing was written. ``detail`` is the storage's own description."""

    def __init__(self, detail: str, message: Optional[str] = None) -> None:
        super().__init__(message or f"storage failed: {detail}")
        self.detail = detail


class DirectoryError(StorageError):
    """The log directory ``path`` could not be created or opened."""

    def __init__(self, path: str, detail: str, message: Optional[str] = None) -> None:
        super().__init__(detail, message or f"cannot open log directory {path}: {detail}")
        self.path = path


class CorruptLog(AuditLogError):
    """A log file is damaged and was left untouched; the next append or
    ``repair()`` mends it."""

    def __init__(self, detail: str, message: Optional[str] = None) -> None:
        super().__init__(message or f"log file is damaged: {detail}")
        self.detail = detail


class FlushError(AuditLogError):
    """The entry was written, but flushing it to stable storage failed
    (``sync="batch"`` or ``"always"``): it may not survive a power loss."""

    def __init__(self, detail: str, message: Optional[str] = None) -> None:
        super().__init__(message or f"written, but flushing to stable storage failed: {detail}")
        self.detail = detail


class ComponentError(AuditLogError):
    """The component could not be loaded, or it trapped (its instance was
    discarded; the next call gets a fresh one)."""


class TimeLimitExceeded(ComponentError):
    """A call ran longer than ``timeout_ms`` and was stopped."""

    def __init__(self, limit_ms: int, message: Optional[str] = None) -> None:
        super().__init__(message or f"the component exceeded its time limit of {limit_ms} ms")
        self.limit_ms = limit_ms


class MemoryLimitExceeded(ComponentError):
    """A call tried to grow the component's memory past ``memory_limit_mb``."""

    def __init__(self, limit_bytes: int, message: Optional[str] = None) -> None:
        super().__init__(message or f"the component exceeded its memory limit of {limit_bytes} bytes")
        self.limit_bytes = limit_bytes
