"""Load the portable auditlog component in-process with wasmtime-py.

auditlog's behaviour -- validation, truncation, redaction, the file formats,
retention, the hash chain, queries -- lives in one WebAssembly component. Its
*portable* build (world ``portable`` in ``wit/auditlog.wit``) imports nothing
but WASI 0.2 and exports ``audit:log/log@0.1.0``. This module runs that build
with wasmtime-py (``pip install 'wasmtime>=50'``, the only dependency) and
turns its WIT types into plain Python values::

    from auditlog_wasm import AuditLog, InvalidInput

    log = AuditLog("audit")                    # the log directory, created if missing
    log.record("workflow.validate", "success", 150)
    log.tool("alice", "file_read", "ok", args={"path": "notes.txt"}, result="hello")
    entries, cursor = log.recent("skills", limit=20)
    log.stats("all-users", days=1)["error_rate"]

Which component file
    ``component_path`` if given, else ``$AUDITLOG_COMPONENT``, else
    ``auditlog-portable.wasm`` next to this module (:data:`DEFAULT_COMPONENT`).
    Write it with ``auditlog component --portable --out FILE``.

Which log (``source``)
    Reads take a ``source``: ``"skills"`` (the skill log ``audit_log.json``),
    ``"all-users"`` (every user's tool log, merged newest first) or any other
    string, a user name (that user's tool log). A user who is literally named
    ``skills`` or ``all-users`` is read with :class:`User`: ``User("skills")``.

What the component can reach
    One store and one instance per :class:`AuditLog`. Its WASI context holds
    the log directory, preopened read-write as ``/``, and nothing else: no
    other directory, no environment variables, no arguments, closed stdio, and
    WASI's default socket policy, which refuses every address and name lookup.
    Its memory is capped (``memory_limit_mb``, 256 MiB by default, as the Rust
    host). There is no time limit: a call runs until it returns.

Writers
    Calls on one :class:`AuditLog` are serialised by a lock, so it can be
    shared between threads. WASI has no file locks, so across processes this
    module takes them itself while a call writes: ``flock`` on the log
    directory (which serialises every writer that uses this module) and on the
    lock file the Rust host uses for that log when it already exists
    (``.audit_log.lock``, ``USER/tool_audit/.lock``), so that appends from
    Python and from the ``auditlog`` host never interleave. (A ``repair`` of
    every log takes only the directory lock: do not run it while the host
    writes; nor a ``rotate`` of every user's log.) Not on Windows.

Rotation
    ``max_file_bytes``, ``max_days``, ``max_user_bytes`` and ``compress`` set
    the tool logs' rotation policy (see :meth:`configure`); :meth:`rotate`
    applies it now. They are given here as arguments: this module does not
    read the log directory's ``auditlog.toml``, which the ``auditlog`` host
    does.

Errors
    A refused or failed call raises an :class:`AuditLogError` and leaves the
    log exactly as it was: :class:`InvalidInput` (``.field``, ``.reason``; also
    a ``ValueError``), :class:`StorageError`, :class:`CorruptLog`, or
    :class:`ComponentError` when the component cannot be loaded or traps (the
    instance is then discarded and the next call gets a fresh one).

Compiling
    Compiling the component takes about a second, so it happens once per
    process and component file (:func:`load_component` keeps the result), and
    the compiled code is kept on disk by wasmtime's own compilation cache
    (wasmtime-py's ``Config.cache``, in wasmtime's default cache directory,
    ``$XDG_CACHE_HOME/wasmtime`` or ``~/.cache/wasmtime``), so later processes
    load it in milliseconds. This module has no cache of its own: the Rust
    host keeps its own (``docs/cli.md``), and this one is wasmtime's. It is
    used only on Linux and only when that directory is this user's alone (not
    owned by, nor writable for, anyone else): compiled code is run as it is
    loaded. ``AUDITLOG_CACHE_DIR=""`` (empty) turns caching off, as for the host.

How wasmtime-py 50 maps the WIT types (found by experiment; what this module
relies on, so that you do not have to):

* ``record`` -> ``wasmtime.component.Record``, an empty object whose fields
  are attributes named as in WIT, kebab-case included: read
  ``getattr(page, "next-cursor")``; to pass one, ``setattr`` every field.
* ``variant`` -> ``Variant(tag, payload)`` when two cases share a Python type
  (``source``: ``Variant("skills")``, ``Variant("user", "alice")``;
  ``audit-error``: ``Variant("invalid", Record(field, reason))``); a variant
  whose cases all have distinct Python types comes back as the bare payload.
* ``option<T>`` -> ``None`` or the value itself.
* ``enum`` -> its case's name, a ``str`` (``rotation-action``: ``"compressed"``).
* ``result<T, E>`` is *not* raised: the call returns the ``ok`` payload or the
  ``err`` payload, untagged when their Python types differ (here ``err`` is
  always the ``Variant`` of ``audit-error``; ``ok`` of ``result<_, E>`` is
  ``None``). This module raises the error classes above instead.
* ``list<u8>`` -> ``bytes``; other lists -> ``list``; strings -> ``str``.
* ``u32``/``u64`` -> ``int``. Values out of range are silently wrapped by
  ctypes (``-1`` would be stored as ``18446744073709551615``), and ``bool``
  passes as an ``int``: this module range-checks every integer first.
* A ``str`` holding a lone surrogate raises ``UnicodeEncodeError`` when it is
  passed; this module refuses it as :class:`InvalidInput` first.
* No ``post_return`` call is needed between calls.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import sys
import threading
from contextlib import contextmanager
from typing import Any, Dict, Iterator, List, Mapping, Optional, Sequence, Tuple, Union

import wasmtime
from wasmtime.component import Component, Linker, Record, Variant

try:  # POSIX only; on Windows writers in several processes are not serialised.
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "AuditLog",
    "AuditLogError",
    "ComponentError",
    "CorruptLog",
    "DEFAULT_COMPONENT",
    "InvalidInput",
    "StorageError",
    "User",
    "absolute",
    "default_component_path",
    "load_component",
    "settings_schema",
]

#: The interface the component exports.
LOG_INTERFACE = "audit:log/log@0.1.0"

#: Where the component is looked for when neither ``component_path`` nor
#: ``$AUDITLOG_COMPONENT`` says: next to this module.
DEFAULT_COMPONENT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "auditlog-portable.wasm"
)

_U32 = 2**32 - 1
_U64 = 2**64 - 1


# --------------------------------------------------------------------------
# Errors


class AuditLogError(Exception):
    """A call failed; the log was left exactly as it was."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(AuditLogError, ValueError):
    """An input was refused. ``field`` names it as the stored entry (or the
    seed's command line) spells it, e.g. ``status``, ``duration_ms``, ``args``;
    ``reason`` says why. Nothing was written."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class StorageError(AuditLogError):
    """Storage failed (disk full, permission, I/O error); nothing was written.
    ``detail`` is the component's description."""

    def __init__(self, detail: str, message: Optional[str] = None) -> None:
        super().__init__(message or f"storage failed: {detail}")
        self.detail = detail


class CorruptLog(AuditLogError):
    """A log file is not in the documented format and was left untouched; the
    next append or :meth:`AuditLog.repair` mends it."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"log file is damaged: {detail}")
        self.detail = detail


class ComponentError(AuditLogError):
    """The component could not be loaded or instantiated, or it trapped."""


# --------------------------------------------------------------------------
# Loading and compiling


class User(str):
    """A ``source`` that is always a user's tool log, even for a user named
    ``skills`` or ``all-users``."""

    __slots__ = ()


def default_component_path() -> str:
    """``$AUDITLOG_COMPONENT`` if set and not empty, else :data:`DEFAULT_COMPONENT`."""
    return os.environ.get("AUDITLOG_COMPONENT") or DEFAULT_COMPONENT


def absolute(path: Union[str, "os.PathLike[str]"]) -> str:
    """``path`` made absolute against the working directory without touching
    the file system: ``.`` components and repeated separators go, ``..`` and
    symlinks stay (as Rust's ``std::path::absolute``, which the ``auditlog``
    CLI uses for the paths it prints)."""
    text = os.fspath(path)
    if os.name != "posix":  # pragma: no cover
        return os.path.abspath(text)
    if not text.startswith("/"):
        text = os.getcwd() + "/" + text
    return "/" + "/".join(part for part in text.split("/") if part not in ("", "."))


_ENGINE: Optional[wasmtime.Engine] = None
_LINKER: Optional[Linker] = None
_COMPONENTS: Dict[str, Component] = {}
_LOAD_LOCK = threading.Lock()


def _engine_and_linker() -> Tuple[wasmtime.Engine, Linker]:
    """One engine (and WASI linker) per process, shared by every component."""
    global _ENGINE, _LINKER
    if _ENGINE is None or _LINKER is None:
        config = wasmtime.Config()
        if os.environ.get("AUDITLOG_CACHE_DIR") != "" and _cache_is_ours():
            config.cache = True  # wasmtime's own cache of compiled code
        engine = wasmtime.Engine(config)
        linker = Linker(engine)
        linker.add_wasip2()
        _ENGINE, _LINKER = engine, linker
    return _ENGINE, _LINKER


def _cache_is_ours() -> bool:
    """Whether wasmtime's cache directory (``$XDG_CACHE_HOME/wasmtime``, else
    ``~/.cache/wasmtime``; Linux only) is this user's alone: loading compiled
    code runs it, so a directory that another user owns or can write, where
    they could plant a file, is never used. Created ``0o700`` if missing."""
    base = os.environ.get("XDG_CACHE_HOME") or (
        os.path.join(os.environ["HOME"], ".cache") if os.environ.get("HOME") else ""
    )
    if not sys.platform.startswith("linux") or not os.path.isabs(base):
        return False
    path = os.path.join(base, "wasmtime")
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
        st = os.stat(path)
    except OSError:
        return False
    return st.st_uid == os.getuid() and not st.st_mode & 0o022


def _compile(engine: wasmtime.Engine, wasm: bytes, origin: str) -> Component:
    try:
        return Component(engine, wasm)
    except wasmtime.WasmtimeError as e:
        raise ComponentError(f"cannot load the component: {origin}: {e}") from e


def load_component(path: Optional[Union[str, "os.PathLike[str]"]] = None) -> Component:
    """The component at ``path`` (default: :func:`default_component_path`),
    compiled once per process and file content, and cached on disk.

    Raises :class:`ComponentError` if the file cannot be read or compiled."""
    origin = os.path.abspath(os.fspath(path) if path is not None else default_component_path())
    try:
        with open(origin, "rb") as f:
            wasm = f.read()
    except OSError as e:
        raise ComponentError(
            f"cannot load the component: {origin}: {e.strerror or e} "
            "(write it with `auditlog component --portable --out FILE`, "
            "or set AUDITLOG_COMPONENT)"
        ) from e
    digest = hashlib.sha256(wasm).hexdigest()
    with _LOAD_LOCK:
        component = _COMPONENTS.get(digest)
        if component is None:
            engine, _ = _engine_and_linker()
            component = _compile(engine, wasm, origin)
            _COMPONENTS[digest] = component
        return component


# --------------------------------------------------------------------------
# Python values -> WIT values (checked first: see the module docstring)


def _record(**fields: Any) -> Record:
    """A WIT record; ``duration_ms=`` becomes the field ``duration-ms``."""
    rec = Record()
    for name, value in fields.items():
        setattr(rec, name.replace("_", "-"), value)
    return rec


def _text(field: str, value: Any, optional: bool = False) -> Optional[str]:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise InvalidInput(field, f"must be a string, got {type(value).__name__}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(field, "is not valid UTF-8 text") from None
    return str(value)


def _uint(field: str, value: Any, limit: int, optional: bool = True) -> Optional[int]:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(field, f"must be a whole number, got {value!r}")
    if not 0 <= value <= limit:
        raise InvalidInput(field, f"must be between 0 and {limit}, got {value}")
    return int(value)


def _strings(field: str, value: Any) -> Optional[List[str]]:
    if value is None:
        return None
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
        raise InvalidInput(field, f"must be a list of strings, got {type(value).__name__}")
    return [_text(field, item) for item in value]  # type: ignore[misc]


def _json_object(field: str, value: Any, optional: bool = True) -> Optional[str]:
    """A JSON object's text: a mapping is encoded (keys in order); a string is
    passed on as JSON text for the component to check."""
    if value is None and optional:
        return None
    if isinstance(value, str):
        return _text(field, value)
    if not isinstance(value, Mapping):
        raise InvalidInput(field, f"must be a JSON object (a dict), got {type(value).__name__}")
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError, RecursionError) as e:
        raise InvalidInput(field, f"cannot be encoded as JSON: {e}") from None
    return _text(field, text)


def _time(field: str, value: Any) -> Optional[str]:
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise InvalidInput(field, "a datetime must carry a time zone (e.g. timezone.utc)")
        return value.isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    return _text(field, value, optional=True)


def _source(value: Any, field: str = "source") -> Variant:
    if isinstance(value, User):
        return Variant("user", _text(field, str(value)))
    if value == "skills":
        return Variant("skills")
    if value == "all-users":
        return Variant("all-users")
    if isinstance(value, str):
        return Variant("user", _text(field, value))
    raise InvalidInput(field, f"must be 'skills', 'all-users' or a user name, got {value!r}")


def _selection(source: Any, status: Any, since: Any, until: Any, days: Any) -> Record:
    """A WIT ``selection`` from this module's ``source`` idiom (``"skills"``,
    ``"all-users"``, a user name or :class:`User`); which filters go with which
    log is the component's rule (``select``)."""
    if not isinstance(source, str):
        raise InvalidInput("source", f"must be 'skills', 'all-users' or a user name, got {source!r}")
    one_user = isinstance(source, User) or source not in ("skills", "all-users")
    return _record(
        skills=source == "skills" and not one_user,
        user=_text("source", str(source)) if one_user else None,
        all_users=source == "all-users" and not one_user,
        skill=None,
        tool=None,
        status=_text("status", status, optional=True),
        since=_time("since", since),
        until=_time("until", until),
        days=_uint("days", days, _U32),
    )


# --------------------------------------------------------------------------
# WIT values -> Python values


def _field(rec: Any, name: str) -> Any:
    return getattr(rec, name)


def _unwrap(ret: Any) -> Any:
    """The ``ok`` payload of a WIT ``result``, or the ``audit-error`` raised."""
    if isinstance(ret, Variant) and ret.tag in ("ok", "err"):  # a tagged result
        if ret.tag == "ok":
            return ret.payload
        ret = ret.payload
    if isinstance(ret, Variant):
        payload = ret.payload
        if ret.tag == "invalid":
            raise InvalidInput(_field(payload, "field"), _field(payload, "reason"))
        if ret.tag == "storage":
            raise StorageError(str(payload))
        if ret.tag == "corrupt":
            raise CorruptLog(str(payload))
        raise AuditLogError(f"{ret.tag}: {payload}")
    return ret


def _recovery(rec: Any) -> Dict[str, Any]:
    """A ``recovery`` as the ``auditlog`` CLI prints it."""
    return {
        "file": _field(rec, "file"),
        "reason": _field(rec, "reason"),
        "moved_to": _field(rec, "moved-to"),
        "bytes": _field(rec, "bytes"),
        "kept": _field(rec, "kept"),
        "notice": _field(rec, "notice"),
    }


def _counts(items: Sequence[Any]) -> Dict[str, int]:
    return {_field(item, "key"): _field(item, "count") for item in items}


def _summary(rec: Any) -> Dict[str, Any]:
    """A ``summary`` as ``auditlog stats --format json`` prints it."""
    return {
        "total": _field(rec, "total"),
        "errors": _field(rec, "errors"),
        "error_rate": _field(rec, "error-rate"),
        "other": _field(rec, "other"),
        "by_status": _counts(_field(rec, "by-status")),
        "by_name": {
            _field(n, "name"): {
                "count": _field(n, "count"),
                "errors": _field(n, "errors"),
                "avg_ms": _field(n, "avg-ms"),
                "p50_ms": _field(n, "p50-ms"),
                "p95_ms": _field(n, "p95-ms"),
                "max_ms": _field(n, "max-ms"),
            }
            for n in _field(rec, "by-name")
        },
        "by_user": _counts(_field(rec, "by-user")),
        "by_day": _counts(_field(rec, "by-day")),
    }


def _log_end(rec: Any) -> Dict[str, Any]:
    return {"log": _field(rec, "log"), "seq": _field(rec, "seq"), "link": _field(rec, "link")}


def _legacy(rec: Any) -> Dict[str, Any]:
    """A ``legacy-entries`` record: one log's entries without a seal."""
    return {
        "log": _field(rec, "log"),
        "before_chain": _field(rec, "before-chain"),
        "total": _field(rec, "total"),
        "adopted_seq": _field(rec, "adopted-seq"),
        "adopted_entries": _field(rec, "adopted-entries"),
        "first_time": _field(rec, "first-time"),
        "last_time": _field(rec, "last-time"),
    }


# --------------------------------------------------------------------------
# The settings, as the component describes them


_SCHEMAS: Dict[str, List[Dict[str, Any]]] = {}


def settings_schema(component_path: Optional[Union[str, "os.PathLike[str]"]] = None) -> List[Dict[str, Any]]:
    """The settings the component at ``component_path`` (default:
    :func:`default_component_path`) accepts, as :meth:`AuditLog.settings_schema`
    returns them; asked once per process and component file.

    Raises :class:`ComponentError` if the component cannot be loaded."""
    component = load_component(component_path)
    with _LOAD_LOCK:
        key = str(id(component))
        if key not in _SCHEMAS:
            engine, linker = _engine_and_linker()
            store = wasmtime.Store(engine)
            store.set_wasi(wasmtime.WasiConfig())  # no directory: the schema needs none
            try:
                instance = linker.instantiate(store, component)
                interface = instance.get_export_index(store, LOG_INTERFACE)
                index = instance.get_export_index(store, "settings-schema", interface)
                specs = instance.get_func(store, index)(store)
            except (wasmtime.WasmtimeError, TypeError) as e:
                raise ComponentError(f"cannot load the component: cannot read its settings: {_first_line(e)}") from e
            _SCHEMAS[key] = [
                {
                    "name": _field(spec, "name"),
                    "kind": str(_field(spec, "kind")),
                    "default": json.loads(_field(spec, "default")),
                    "min": _field(spec, "min"),
                    "max": _field(spec, "max"),
                    "zero_is_off": _field(spec, "zero-is-off"),
                    "value_name": _field(spec, "value-name"),
                    "doc": _field(spec, "doc"),
                    "file_key": _field(spec, "file-key"),
                }
                for spec in specs
            ]
        return [dict(spec) for spec in _SCHEMAS[key]]


def _known_settings(caller: str, settings: Mapping[str, Any], schema: Sequence[Mapping[str, Any]]) -> None:
    """Refuses, as Python refuses an unknown keyword, a setting ``schema`` lacks."""
    unknown = sorted(set(settings) - {spec["name"] for spec in schema})
    if unknown:
        raise TypeError(f"{caller} got an unexpected keyword argument {unknown[0]!r}")


def _setting(name: str, kind: str, value: Any) -> Any:
    """``value`` as the WIT type ``kind`` of ``settings-schema`` takes it,
    checked for its Python type only (``None`` keeps the current value)."""
    if value is None:
        return None
    if kind == "uint32":
        return _uint(name, value, _U32)
    if kind == "uint64":
        return _uint(name, value, _U64)
    if kind == "boolean":
        if not isinstance(value, bool):
            raise InvalidInput(name, f"must be True or False, got {value!r}")
        return value
    if kind == "bytes":
        if not isinstance(value, (bytes, bytearray, memoryview)):
            raise InvalidInput(name, f"must be bytes, got {type(value).__name__}")
        return bytes(value)
    if kind == "words":
        return _strings(name, value)
    raise ComponentError(f"the component describes setting {name!r} with an unknown kind {kind!r}")


# --------------------------------------------------------------------------
# The log


def _first_line(error: Exception) -> str:
    """The gist of a wasmtime error: its trap line if any, else its first line
    (the full text, backtrace included, stays on ``__cause__``)."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    for line in lines:
        if line.startswith("wasm trap:"):
            return line
    return lines[0] if lines else type(error).__name__


def _plain_name(name: Any) -> bool:
    """Whether ``name`` can only name a directory inside the log directory."""
    return (
        isinstance(name, str)
        and name != ""
        and not name.startswith(".")
        and not any(c in name for c in "/\\\0")
    )


class AuditLog:
    """The audit logs in ``log_dir`` (created if missing), through one instance
    of the component at ``component_path`` (default:
    :func:`default_component_path`).

    The other keyword arguments are the component's settings, exactly those of
    :meth:`configure` (see also ``settings`` in ``wit/auditlog.wit``); an
    unknown one is a ``TypeError``. ``memory_limit_mb`` caps the component's
    memory.

    Raises :class:`ComponentError` if the component cannot be loaded,
    :class:`StorageError` if ``log_dir`` cannot be created, and
    :class:`InvalidInput` for a refused setting."""

    def __init__(
        self,
        log_dir: Union[str, "os.PathLike[str]"],
        component_path: Optional[Union[str, "os.PathLike[str]"]] = None,
        *,
        memory_limit_mb: int = 256,
        **settings: Any,
    ) -> None:
        self.log_dir = absolute(log_dir)
        self.component_path = os.path.abspath(
            os.fspath(component_path) if component_path is not None else default_component_path()
        )
        _known_settings("AuditLog()", settings, settings_schema(self.component_path))
        self._memory_limit = _uint("memory_limit_mb", memory_limit_mb, 1 << 20, optional=False)
        self._lock = threading.RLock()
        self._settings: Dict[str, Any] = {}
        self._store: Optional[wasmtime.Store] = None
        self._funcs: Dict[str, Any] = {}
        try:
            os.makedirs(self.log_dir, exist_ok=True)
        except OSError as e:
            raise StorageError(
                str(e.strerror or e),
                f"cannot open log directory {self.log_dir}: {e.strerror or e}",
            ) from e
        self._component = load_component(self.component_path)
        # The settings' names, defaults and checks live in one place: configure.
        self.configure(**settings)

    def __repr__(self) -> str:
        return f"AuditLog({self.log_dir!r}, {self.component_path!r})"

    def __enter__(self) -> "AuditLog":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        """Drops the instance; a later call makes a new one."""
        with self._lock:
            self._store, self._funcs = None, {}

    # -- plumbing -----------------------------------------------------------

    def _instantiate(self) -> None:
        engine, linker = _engine_and_linker()
        store = wasmtime.Store(engine)
        store.set_limits(memory_size=self._memory_limit * 1024 * 1024)
        wasi = wasmtime.WasiConfig()  # no args, no env, closed stdio
        try:
            wasi.preopen_dir(self.log_dir, "/")  # read-write
        except wasmtime.WasmtimeError as e:
            raise StorageError(str(e), f"cannot open log directory {self.log_dir}: {e}") from e
        store.set_wasi(wasi)
        try:
            instance = linker.instantiate(store, self._component)
        except wasmtime.WasmtimeError as e:
            hint = ""
            if "audit:log/storage" in str(e):
                hint = (" (this is the host build: write the portable one with"
                        " `auditlog component --portable --out FILE`)")
            raise ComponentError(
                f"cannot load the component: {self.component_path}: {_first_line(e)}{hint}"
            ) from e
        interface = instance.get_export_index(store, LOG_INTERFACE)
        if interface is None:
            raise ComponentError(
                f"cannot load the component: {self.component_path} does not export {LOG_INTERFACE}"
            )
        funcs = {}
        for name in ("configure", "append-skill", "append-tool", "recent", "stats", "repair",
                     "rotate", "verify", "adopt", "record-seed", "select"):
            index = instance.get_export_index(store, name, interface)
            func = instance.get_func(store, index) if index is not None else None
            if func is None:
                raise ComponentError(
                    f"cannot load the component: {self.component_path} lacks {LOG_INTERFACE}#{name}"
                )
            funcs[name] = func
        self._store, self._funcs = store, funcs
        if self._settings:
            self._invoke("configure", _record(**self._settings))

    @contextmanager
    def _writer(self, lock_file: Optional[str]) -> Iterator[None]:
        """Exclusive across processes while a call may write (see the module
        docstring): the log directory, then the host's lock file if it exists."""
        if fcntl is None:  # pragma: no cover
            yield
            return
        fds: List[int] = []
        try:
            try:
                fds.append(os.open(self.log_dir, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | os.O_CLOEXEC))
                fcntl.flock(fds[-1], fcntl.LOCK_EX)
            except OSError as e:
                reason = str(e.strerror or e)
                raise StorageError(reason, f"cannot lock log directory {self.log_dir}: {reason}") from e
            if lock_file is not None:
                try:
                    fds.append(os.open(os.path.join(self.log_dir, lock_file),
                                       os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC))
                    fcntl.flock(fds[-1], fcntl.LOCK_EX)
                except OSError:
                    pass  # not created yet (or a symlink the host would refuse)
            yield
        finally:
            for fd in reversed(fds):
                os.close(fd)  # releases its lock

    def _invoke(self, name: str, *args: Any) -> Any:
        try:
            ret = self._funcs[name](self._store, *args)
        except (wasmtime.Trap, wasmtime.WasmtimeError) as e:
            self._store, self._funcs = None, {}  # poisoned: the next call starts afresh
            reason = _first_line(e)
            if "unreachable" in reason:
                reason += f" (a panic, or a call that needed more than memory_limit_mb={self._memory_limit})"
            raise ComponentError(f"the component failed: {reason}") from e
        return _unwrap(ret)

    def _call(self, name: str, *args: Any, lock: Union[None, bool, str] = None) -> Any:
        """Calls ``name``; ``lock``: ``None`` for reads, else the host's lock
        file for the log written (``True``: only the directory lock)."""
        with self._lock:
            if self._store is None:
                self._instantiate()
            if lock is None:
                return self._invoke(name, *args)
            with self._writer(lock if isinstance(lock, str) else None):
                return self._invoke(name, *args)

    def _filter(self, source: Any, name: Any, status: Any, since: Any, until: Any, days: Any) -> Any:
        """The WIT ``filter`` the component's ``select`` makes of the caller's
        selection; ``name`` (the skill or the tool) goes into it as given."""
        selection = _selection(source, status, since, until, days)
        name = _text("name", name, optional=True)
        filt = self._call("select", selection)
        setattr(filt, "name", name)
        return filt

    # -- the calls ----------------------------------------------------------

    def configure(self, **settings: Any) -> None:
        """Changes limits for later calls; ``None`` keeps the current value.

        The settings, their types, defaults and ranges are the component's:
        :meth:`settings_schema` lists them (``settings`` in
        ``wit/auditlog.wit`` documents them). Among them ``max_entries``
        (skill log, default 10,000), ``arg_max_chars``, ``snippet_chars``,
        ``max_entry_bytes``, ``chain_key`` (bytes, at least 16: link entries
        with HMAC-SHA-256 instead of SHA-256; ``b""`` goes back),
        ``redact_keys`` (more secret key words), ``sync_data``, and the tool
        logs' rotation policy ``max_file_bytes``, ``max_days``,
        ``max_user_bytes``, ``compress``.

        Each value is checked here only for its Python type (an ``int`` in
        the setting's range of ``u32``/``u64``, a ``bool``, ``bytes``, a list
        of ``str``); the component checks the rest. Raises ``TypeError`` for
        a name the component does not know and :class:`InvalidInput` for a
        refused value."""
        schema = self.settings_schema()
        _known_settings("configure", settings, schema)
        values = {
            spec["name"]: _setting(spec["name"], spec["kind"], settings.get(spec["name"]))
            for spec in schema
        }
        self._call("configure", _record(**values))
        with self._lock:  # replayed on a fresh instance after a trap
            merged = dict(self._settings) or {key: None for key in values}
            merged.update({k: v for k, v in values.items() if v is not None})
            self._settings = merged

    def settings_schema(self) -> List[Dict[str, Any]]:
        """Every setting :meth:`configure` (and the constructor) accepts, as
        the component describes it (``settings-schema``): ``[{"name", "kind":
        "uint32" | "uint64" | "boolean" | "bytes" | "words", "default" (a
        Python value), "min", "max", "zero_is_off", "value_name", "doc",
        "file_key"}]``, in the order of ``settings`` in the WIT."""
        return settings_schema(self.component_path)

    def append_skill(
        self,
        skill: str,
        status: str,
        duration_ms: Optional[int] = None,
        errors: Optional[Sequence[str]] = None,
        metadata: Union[None, Mapping[str, Any], str] = None,
    ) -> Dict[str, Any]:
        """Appends one skill run to ``audit_log.json`` and returns the receipt:
        ``{"entry": dict, "path": absolute path, "total_entries": int,
        "recovered": [repairs made first, usually none], "warnings":
        [housekeeping after the stored entry that did not get done]}``.

        ``metadata`` is a mapping (encoded as JSON, key order kept) or the
        text of a JSON object. Raises :class:`InvalidInput`,
        :class:`StorageError`, :class:`CorruptLog` or :class:`ComponentError`."""
        run = _record(
            skill=_text("skill", skill),
            status=_text("status", status),
            duration_ms=_uint("duration_ms", duration_ms, _U64),
            errors=_strings("errors", errors),
            metadata=_json_object("metadata", metadata),
        )
        receipt = self._call("append-skill", run, lock=".audit_log.lock")
        return {
            "entry": json.loads(_field(receipt, "entry")),
            "path": os.path.join(self.log_dir, _field(receipt, "path")),
            "total_entries": _field(receipt, "total-entries"),
            "recovered": [_recovery(r) for r in _field(receipt, "recovered")],
            "warnings": list(_field(receipt, "warnings")),
        }

    def record(
        self,
        skill: str,
        status: str,
        duration_ms: Optional[int] = None,
        errors: Optional[Sequence[str]] = None,
        metadata: Union[None, Mapping[str, Any], str] = None,
    ) -> Dict[str, Any]:
        """:meth:`append_skill`, returning only the stored entry: ``{"timestamp",
        "skill", "status", "duration_ms"?, "errors"?, "metadata"?, "redacted"?,
        "truncated"?, "seq", "hash" | "mac"}`` in that order."""
        return self.append_skill(skill, status, duration_ms, errors, metadata)["entry"]

    def record_seed(self, args: Sequence[str], log_path: str) -> Dict[str, Any]:
        """The seed script's call (``audit_log.py SKILL STATUS [DURATION_MS]
        [ERRORS_JSON] [METADATA_JSON]``), answered whole by the component
        (``record-seed`` in ``wit/auditlog.wit``): ``args`` are its positional
        arguments as text, ``log_path`` the skill log's path as the response
        shows it. Returns ``{"exit_code": 0 | 1 | 2, "response": the seed's
        response JSON text (pretty, no final newline), "report": [lines for
        stderr, each after the program's name]}``: a refused input or a failed
        append is an answer, not an exception. Raises :class:`InvalidInput`
        for arguments that are not text, :class:`ComponentError` when the
        component cannot answer."""
        answer = self._call(
            "record-seed", _strings("args", args), _text("log_path", log_path), lock=".audit_log.lock"
        )
        return {
            "exit_code": _field(answer, "exit-code"),
            "response": _field(answer, "response"),
            "report": list(_field(answer, "report")),
        }

    def append_tool(
        self,
        user: str,
        tool: str,
        status: str,
        args: Union[None, Mapping[str, Any], str] = None,
        result: str = "",
    ) -> Dict[str, Any]:
        """Appends one tool call to ``USER/tool_audit/YYYY-MM-DD.jsonl`` (today,
        UTC) and returns ``{"entry": dict, "path": absolute path, "recovered":
        [...], "warnings": [...]}``. ``status`` is ``ok``, ``error`` or ``denied``; ``args`` a
        mapping or the text of a JSON object (default ``{}``); only ``result``'s
        length and first characters are stored. Raises as :meth:`append_skill`."""
        call = _record(
            user=_text("user", user),
            tool=_text("tool", tool),
            args=_json_object("args", {} if args is None else args, optional=False),
            status=_text("status", status),
            output=_text("result", result),
        )
        lock = f"{user}/tool_audit/.lock" if _plain_name(user) else True
        receipt = self._call("append-tool", call, lock=lock)
        return {
            "entry": json.loads(_field(receipt, "entry")),
            "path": os.path.join(self.log_dir, _field(receipt, "path")),
            "recovered": [_recovery(r) for r in _field(receipt, "recovered")],
            "warnings": list(_field(receipt, "warnings")),
        }

    def tool(
        self,
        user: str,
        tool: str,
        status: str,
        args: Union[None, Mapping[str, Any], str] = None,
        result: str = "",
    ) -> Dict[str, Any]:
        """:meth:`append_tool`, returning only the stored entry: ``{"ts", "user",
        "tool", "args", "status", "result_chars", "result_snippet",
        "redacted"?, "truncated"?, "seq", "hash" | "mac"}`` in that order. String
        values in ``args`` longer than 500 characters are cut to 500 plus
        `` …[N chars total]``."""
        return self.append_tool(user, tool, status, args, result)["entry"]

    def recent(
        self,
        source: Union[str, User],
        *,
        name: Optional[str] = None,
        status: Optional[str] = None,
        since: Union[None, str, _dt.date, _dt.datetime] = None,
        until: Union[None, str, _dt.date, _dt.datetime] = None,
        days: Optional[int] = None,
        limit: Optional[int] = None,
        cursor: Optional[str] = None,
    ) -> Tuple[List[Dict[str, Any]], Optional[str]]:
        """The newest entries of ``source`` that pass the filters, newest first,
        and the cursor for the next page (``None`` when there is no more).

        ``source``: ``"skills"``, ``"all-users"`` or a user name (see
        :class:`User`). ``name`` is the skill (skill log) or tool (tool logs);
        ``since <= time < until``, each an RFC 3339 string, a date (its UTC
        midnight) or an aware datetime; ``days``: today and the ``days - 1``
        UTC days before (default 7 for tool logs unless ``since`` is given;
        none for the skill log, which returns every retained entry);
        ``limit`` 1 to 10,000 (default 200); ``cursor`` from the previous
        page, with the same filters."""
        query = _record(
            filter=self._filter(source, name, status, since, until, days),
            limit=_uint("limit", limit, _U32),
            cursor=_text("cursor", cursor, optional=True),
        )
        page = self._call("recent", query)
        entries = [json.loads(text) for text in _field(page, "entries")]
        return entries, _field(page, "next-cursor")

    def stats(
        self,
        source: Union[str, User],
        *,
        name: Optional[str] = None,
        status: Optional[str] = None,
        since: Union[None, str, _dt.date, _dt.datetime] = None,
        until: Union[None, str, _dt.date, _dt.datetime] = None,
        days: Optional[int] = None,
    ) -> Dict[str, Any]:
        """Totals over every entry the filters (as :meth:`recent`'s) select, as
        ``auditlog stats --format json`` prints them: ``{"total", "errors",
        "error_rate", "other", "by_status": {status: n}, "by_name": {name:
        {"count", "errors", "avg_ms", "p50_ms", "p95_ms", "max_ms"}},
        "by_user": {user: n}, "by_day": {"YYYY-MM-DD": n}}``. An error is any
        status other than ``success`` or ``ok``; percentiles are nearest-rank.
        ``other`` counts the entries that are not runs (no name or no status,
        written by another tool), which count in no other field."""
        summary = self._call("stats", self._filter(source, name, status, since, until, days))
        return _summary(summary)

    def verify(
        self,
        source: Union[None, str, User] = None,
        checkpoint: Sequence[Mapping[str, Any]] = (),
    ) -> Dict[str, Any]:
        """Checks the hash chains of ``source`` (``None``: every log) and returns
        ``{"ok": bool, "entries": verified, "ends": [{"log", "seq", "link"}],
        "legacy": [{"log", "before_chain", "total", "adopted_seq",
        "adopted_entries", "first_time", "last_time"}], "unsealed": [{"file",
        "line"}], "unsealed_total": n, "problem": None | {"file", "line", "seq",
        "reason"}}``. ``legacy`` counts each log's entries without a seal (the
        seed scripts'); ``unsealed`` lists the first of those written after a
        chain started that no adoption covers. Pass an earlier report's
        ``ends`` as ``checkpoint`` to detect entries cut from the end. A failed
        verification is a report with ``ok`` false, not an exception."""
        try:
            ends = [
                _record(
                    log=_text("checkpoint", end["log"]),
                    seq=_uint("checkpoint", end["seq"], _U64, optional=False),
                    link=_text("checkpoint", end["link"]),
                )
                for end in checkpoint
            ]
        except (KeyError, TypeError) as e:
            raise InvalidInput("checkpoint", f"must be a list of {{log, seq, link}}: {e}") from None
        report = self._call(
            "verify", None if source is None else _source(source), ends
        )
        problem = _field(report, "problem")
        return {
            "ok": problem is None,
            "entries": _field(report, "entries"),
            "ends": [_log_end(end) for end in _field(report, "ends")],
            "legacy": [_legacy(entries) for entries in _field(report, "legacy")],
            "unsealed": [
                {"file": _field(u, "file"), "line": _field(u, "line")}
                for u in _field(report, "unsealed")
            ],
            "unsealed_total": _field(report, "unsealed-total"),
            "problem": None
            if problem is None
            else {
                "file": _field(problem, "file"),
                "line": _field(problem, "line"),
                "seq": _field(problem, "seq"),
                "reason": _field(problem, "reason"),
            },
        }

    def repair(self, source: Union[None, str, User] = None) -> List[Dict[str, Any]]:
        """Reads the logs of ``source`` (``None``: every log) in full and repairs
        every damaged file: intact entries are kept, unreadable bytes moved to
        ``.damaged.STEM.N`` beside the file (``.damaged.audit_log.1``), and a
        recovery entry is appended. Returns the
        repairs, ``[{"file", "reason", "moved_to", "bytes", "kept",
        "notice"}]``; none for healthy logs."""
        lock: Union[bool, str] = True
        if source == "skills" and not isinstance(source, User):
            lock = ".audit_log.lock"
        elif isinstance(source, str) and source != "all-users" and _plain_name(source):
            lock = f"{source}/tool_audit/.lock"
        repairs = self._call(
            "repair", None if source is None else _source(source), lock=lock
        )
        return [_recovery(r) for r in repairs]

    def adopt(self, source: Union[None, str, User] = None) -> List[Dict[str, Any]]:
        """Seals the legacy entries (written by another writer, such as the
        seed scripts) of the logs of ``source`` (``None``: every log): appends
        to each log whose legacy entries no adoption covers yet one entry
        (skill or tool ``auditlog.adopt``) recording their count, first and
        last time and a digest of their exact text, so that :meth:`verify`
        from then on proves them unchanged. Running it again writes nothing.
        Raises :class:`CorruptLog` (nothing written) for a log that is damaged
        (``repair()`` it first) or does not verify. Returns one
        ``{"log", "entries", "first_time", "last_time", "sealed_as",
        "adopted_at"}`` per log; ``sealed_as`` is ``None`` when nothing was
        written."""
        lock: Union[bool, str] = True
        if source == "skills" and not isinstance(source, User):
            lock = ".audit_log.lock"
        elif isinstance(source, str) and source != "all-users" and _plain_name(source):
            lock = f"{source}/tool_audit/.lock"
        adoptions = self._call(
            "adopt", None if source is None else _source(source), lock=lock
        )
        return [
            {
                "log": _field(a, "log"),
                "entries": _field(a, "entries"),
                "first_time": _field(a, "first-time"),
                "last_time": _field(a, "last-time"),
                "sealed_as": _field(a, "sealed-as"),
                "adopted_at": _field(a, "adopted-at"),
            }
            for a in adoptions
        ]

    def rotate(self, source: Union[None, str, User] = None) -> List[Dict[str, Any]]:
        """Applies the rotation policy now to the tool logs of ``source``
        (``None`` or ``"all-users"``: every user's; a user name: that user's):
        gzips closed files when ``compress`` is on and deletes the files
        retention no longer keeps, recording each deletion so that
        :meth:`verify` tells it from one by someone else. Returns what
        changed, oldest file first, as ``auditlog rotate --format json``
        prints it: ``[{"file", "action": "compressed" | "deleted", "bytes"}]``."""
        lock: Union[bool, str] = True
        one_user = isinstance(source, User) or source not in (None, "all-users", "skills")
        if one_user and _plain_name(source):
            lock = f"{source}/tool_audit/.lock"
        rotations = self._call(
            "rotate", None if source is None else _source(source), lock=lock
        )
        return [
            {
                "file": _field(r, "file"),
                "action": str(_field(r, "action")),
                "bytes": _field(r, "bytes"),
            }
            for r in rotations
        ]

