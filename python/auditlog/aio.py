"""The :class:`auditlog.AuditLog` calls as awaitables that never block the
event loop::

    from auditlog.aio import AsyncAuditLog

    log = AsyncAuditLog("audit")
    await log.tool("alice", "file_read", "ok", args={"path": "notes.txt"})
    entries = await log.recent(user="alice", limit=20)

Each call runs in a worker thread (the loop's default executor): the host
works there without the GIL, and the result is turned into Python objects
there too, giving the GIL up every few milliseconds, so the loop goes on
serving other tasks meanwhile and only receives the finished object;
concurrent calls run in parallel. Methods, arguments, results and exceptions
are :class:`auditlog.AuditLog`'s. Opening the log
(``AsyncAuditLog(dir, **settings)``) is synchronous: it reads the directory's
``auditlog.toml`` and starts the component once, in milliseconds after the
first time in a process. ``async with AsyncAuditLog(...) as log:`` (or
``with``) closes it at the end, as ``await log.close()`` does.
"""

from __future__ import annotations

import asyncio
import functools
import os
import pathlib
from types import TracebackType
from typing import Any, Callable, Dict, List, Optional, Sequence, Type, TypeVar, Union

from ._native import AuditLog

__all__ = ["AsyncAuditLog", "AuditLog"]

T = TypeVar("T")

_Json = Dict[str, Any]


async def _off_loop(call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``call(*args, **kwargs)`` in the loop's default executor."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, functools.partial(call, *args, **kwargs))


class AsyncAuditLog:
    """:class:`auditlog.AuditLog` for asyncio: the same constructor and
    methods, each a coroutine run off the event loop. ``sync`` is the
    underlying :class:`auditlog.AuditLog`, for code that is not async."""

    def __init__(self, dir: Union[str, "os.PathLike[str]"], **settings: Any) -> None:
        self.sync = AuditLog(dir, **settings)

    @property
    def dir(self) -> "pathlib.Path":
        """The log directory, absolute."""
        return self.sync.dir

    def __repr__(self) -> str:
        return f"AsyncAuditLog({str(self.dir)!r})"

    async def close(self) -> None:
        """:meth:`auditlog.AuditLog.close`, awaited: drops the component
        instances (a later call opens one again)."""
        await _off_loop(self.sync.close)

    aclose = close

    async def __aenter__(self) -> "AsyncAuditLog":
        return self

    async def __aexit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        await self.close()

    def __enter__(self) -> "AsyncAuditLog":
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        self.sync.close()

    async def record(
        self,
        skill: str,
        status: str,
        duration_ms: Optional[int] = None,
        errors: Optional[Sequence[str]] = None,
        metadata: Union[None, _Json, str] = None,
    ) -> _Json:
        """:meth:`auditlog.AuditLog.record`, awaited."""
        return await _off_loop(self.sync.record, skill, status, duration_ms, errors, metadata)

    async def append_skill(self, *args: Any, **kwargs: Any) -> _Json:
        """:meth:`auditlog.AuditLog.append_skill`, awaited."""
        return await _off_loop(self.sync.append_skill, *args, **kwargs)

    async def tool(
        self,
        user: str,
        tool: str,
        status: str,
        args: Union[None, _Json, str] = None,
        result: Optional[str] = None,
        **cut: Optional[int],
    ) -> _Json:
        """:meth:`auditlog.AuditLog.tool`, awaited (``arg_max_chars``,
        ``snippet_chars`` as keywords)."""
        return await _off_loop(self.sync.tool, user, tool, status, args, result, **cut)

    async def append_tool(self, *args: Any, **kwargs: Any) -> _Json:
        """:meth:`auditlog.AuditLog.append_tool`, awaited."""
        return await _off_loop(self.sync.append_tool, *args, **kwargs)

    async def recent(self, **selection: Any) -> List[_Json]:
        """:meth:`auditlog.AuditLog.recent`, awaited."""
        return await _off_loop(self.sync.recent, **selection)

    async def recent_page(self, **selection: Any) -> _Json:
        """:meth:`auditlog.AuditLog.recent_page`, awaited."""
        return await _off_loop(self.sync.recent_page, **selection)

    async def stats(self, **selection: Any) -> _Json:
        """:meth:`auditlog.AuditLog.stats`, awaited."""
        return await _off_loop(self.sync.stats, **selection)

    async def verify(self, **logs: Any) -> _Json:
        """:meth:`auditlog.AuditLog.verify`, awaited."""
        return await _off_loop(self.sync.verify, **logs)

    async def repair(self, **logs: Any) -> List[_Json]:
        """:meth:`auditlog.AuditLog.repair`, awaited."""
        return await _off_loop(self.sync.repair, **logs)

    async def adopt(self, **logs: Any) -> List[_Json]:
        """:meth:`auditlog.AuditLog.adopt`, awaited."""
        return await _off_loop(self.sync.adopt, **logs)

    async def rotate(self, **logs: Any) -> List[_Json]:
        """:meth:`auditlog.AuditLog.rotate`, awaited."""
        return await _off_loop(self.sync.rotate, **logs)

    async def record_seed(self, args: Sequence[str], log_path: Optional[str] = None) -> _Json:
        """:meth:`auditlog.AuditLog.record_seed`, awaited."""
        return await _off_loop(self.sync.record_seed, args, log_path)
