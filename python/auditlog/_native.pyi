"""Type hints for the native module (``python/src/``); see :mod:`auditlog`."""

import datetime
import os
import pathlib
from typing import Any, Dict, List, Mapping, Optional, Sequence, TypedDict, Union


__version__: str

_Path = Union[str, "os.PathLike[str]"]
_Time = Union[None, str, datetime.date, datetime.datetime]
_JsonObject = Union[Mapping[str, Any], str]

class LogEnd(TypedDict):
    log: str
    seq: int
    link: str

class SeedAnswer(TypedDict):
    exit_code: int
    response: str
    report: List[str]

class Page(TypedDict):
    entries: List[Dict[str, Any]]
    next_cursor: Optional[str]

class AuditLog:
    """The audit logs in one directory; see ``help(auditlog.AuditLog)``."""

    def __init__(
        self,
        dir: _Path,
        *,
        max_entries: Optional[int] = ...,
        arg_max_chars: Optional[int] = ...,
        snippet_chars: Optional[int] = ...,
        max_entry_bytes: Optional[int] = ...,
        chain_key: Optional[bytes] = ...,
        redact_keys: Optional[Sequence[str]] = ...,
        sync_data: Optional[bool] = ...,
        max_file_bytes: Optional[int] = ...,
        max_days: Optional[int] = ...,
        max_user_bytes: Optional[int] = ...,
        compress: Optional[bool] = ...,
        compress_grace: Optional[int] = ...,
        component: Optional[_Path] = ...,
        timeout_ms: Optional[int] = ...,
        memory_limit_mb: Optional[int] = ...,
        key_file: Optional[_Path] = ...,
        sync: Optional[str] = ...,
        read_config_file: Optional[bool] = ...,
        read_only: Optional[bool] = ...,
        now: Optional[str] = ...,
    ) -> None: ...
    @property
    def dir(self) -> pathlib.Path: ...
    def __enter__(self) -> "AuditLog": ...
    def __exit__(self, *exc: Any) -> None: ...
    def close(self) -> None: ...
    def record(
        self,
        skill: str,
        status: str,
        duration_ms: Optional[int] = None,
        errors: Optional[Sequence[str]] = None,
        metadata: Optional[_JsonObject] = None,
    ) -> Dict[str, Any]: ...
    def append_skill(
        self,
        skill: str,
        status: str,
        duration_ms: Optional[int] = None,
        errors: Optional[Sequence[str]] = None,
        metadata: Optional[_JsonObject] = None,
    ) -> Dict[str, Any]: ...
    def tool(
        self,
        user: str,
        tool: str,
        status: str,
        args: Optional[_JsonObject] = None,
        result: Optional[str] = None,
        *,
        arg_max_chars: Optional[int] = None,
        snippet_chars: Optional[int] = None,
    ) -> Dict[str, Any]: ...
    def append_tool(
        self,
        user: str,
        tool: str,
        status: str,
        args: Optional[_JsonObject] = None,
        result: Optional[str] = None,
        *,
        arg_max_chars: Optional[int] = None,
        snippet_chars: Optional[int] = None,
    ) -> Dict[str, Any]: ...
    def recent(
        self,
        *,
        skills: bool = False,
        user: Optional[str] = None,
        all_users: bool = False,
        skill: Optional[str] = None,
        tool: Optional[str] = None,
        status: Optional[str] = None,
        since: _Time = None,
        until: _Time = None,
        days: Optional[int] = None,
        limit: Optional[int] = 200,
        cursor: Optional[str] = None,
    ) -> List[Dict[str, Any]]: ...
    def recent_page(
        self,
        *,
        skills: bool = False,
        user: Optional[str] = None,
        all_users: bool = False,
        skill: Optional[str] = None,
        tool: Optional[str] = None,
        status: Optional[str] = None,
        since: _Time = None,
        until: _Time = None,
        days: Optional[int] = None,
        limit: Optional[int] = 200,
        cursor: Optional[str] = None,
    ) -> Page: ...
    def stats(
        self,
        *,
        skills: bool = False,
        user: Optional[str] = None,
        all_users: bool = False,
        skill: Optional[str] = None,
        tool: Optional[str] = None,
        status: Optional[str] = None,
        since: _Time = None,
        until: _Time = None,
        days: Optional[int] = None,
    ) -> Dict[str, Any]: ...
    def verify(
        self,
        *,
        skills: bool = False,
        user: Optional[str] = None,
        all_users: bool = False,
        checkpoint: Union[None, Sequence[LogEnd], _Path] = None,
    ) -> Dict[str, Any]: ...
    def repair(
        self, *, skills: bool = False, user: Optional[str] = None, all_users: bool = False
    ) -> List[Dict[str, Any]]: ...
    def adopt(
        self, *, skills: bool = False, user: Optional[str] = None, all_users: bool = False
    ) -> List[Dict[str, Any]]: ...
    def rotate(self, *, user: Optional[str] = None, all_users: bool = False) -> List[Dict[str, Any]]: ...
    def record_seed(self, args: Sequence[str], log_path: Optional[str] = None) -> SeedAnswer: ...

def seed_failure(message: str, field: Optional[str], log_path: str) -> SeedAnswer: ...
def setting_names() -> List[str]: ...
