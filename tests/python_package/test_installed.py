"""The package as pip installed it: where it comes from, its typing files, its
documentation in help(), the native module's stable ABI."""

import inspect
import pickle
import pydoc
from pathlib import Path

import auditlog
import auditlog._native
import auditlog.aio
import auditlog.audit_log
import auditlog.tool_audit


def test_the_installed_package_is_the_one_imported():
    for module in (auditlog, auditlog._native, auditlog.aio, auditlog.audit_log, auditlog.tool_audit):
        assert "site-packages" in Path(module.__file__).parts, module.__file__
    assert Path(auditlog._native.__file__).name.endswith(".abi3.so")


def test_it_ships_its_type_hints():
    package = Path(auditlog.__file__).parent
    assert (package / "py.typed").is_file()
    stub = (package / "_native.pyi").read_text()
    for method in ("def record(", "def tool(", "def recent(", "def stats(", "def verify(", "def rotate("):
        assert method in stub


def test_help_shows_the_docstrings_and_signatures():
    text = pydoc.render_doc(auditlog.AuditLog, renderer=pydoc.plaintext)
    assert "The audit logs in one directory" in text
    assert "record(self, /, skill, status, duration_ms=None, errors=None, metadata=None)" in text
    assert "tool(self, /, user, tool, status, args=None, result=None, *, arg_max_chars=None, snippet_chars=None)" in text
    assert "limit=200" in text
    for name in ("record", "tool", "recent", "recent_page", "stats", "verify", "repair", "adopt", "rotate"):
        assert getattr(auditlog.AuditLog, name).__doc__, name


def test_one_exception_hierarchy():
    errors = [
        auditlog.InvalidInput,
        auditlog.ConfigError,
        auditlog.StorageError,
        auditlog.DirectoryError,
        auditlog.CorruptLog,
        auditlog.FlushError,
        auditlog.ComponentError,
        auditlog.TimeLimitExceeded,
        auditlog.MemoryLimitExceeded,
    ]
    assert all(issubclass(e, auditlog.AuditLogError) for e in errors)
    assert issubclass(auditlog.InvalidInput, ValueError)
    e = auditlog.InvalidInput("status", "must be one of ok, error, denied")
    assert (str(e), e.field, e.reason) == ("status: must be one of ok, error, denied", "status", "must be one of ok, error, denied")


def test_the_drop_ins_keep_the_seeds_signatures():
    sig = inspect.signature(auditlog.tool_audit.record)
    assert list(sig.parameters) == ["user", "tool", "args", "status", "result"]
    assert sig.parameters["result"].default == ""
    assert inspect.iscoroutinefunction(auditlog.tool_audit.record)
    recent = inspect.signature(auditlog.tool_audit.read_recent).parameters
    assert (recent["days"].default, recent["limit"].default) == (7, 200)
    everyone = inspect.signature(auditlog.tool_audit.read_recent_all_users).parameters
    assert (everyone["days"].default, everyone["limit"].default) == (7, 500)


def raised(call):
    try:
        call()
    except auditlog.AuditLogError as error:
        return error
    raise AssertionError("nothing raised")


def test_every_exception_pickles_with_its_message_and_attributes(tmp_path):
    # multiprocessing and ProcessPoolExecutor send exceptions back by pickle.
    bad_config = tmp_path / "bad-config"
    bad_config.mkdir()
    (bad_config / "auditlog.toml").write_text("[tool_log]\nmax_days = 'x'\n")
    (tmp_path / "file").write_text("")
    log = auditlog.AuditLog(tmp_path / "audit")
    samples = [
        raised(lambda: log.tool("alice", "t", "maybe")),
        raised(lambda: auditlog.AuditLog(bad_config)),
        raised(lambda: auditlog.AuditLog(tmp_path / "file" / "audit")),
        raised(lambda: auditlog.AuditLog(tmp_path / "tiny", memory_limit_mb=1).record("s", "ok")),
        raised(lambda: auditlog.AuditLog(tmp_path / "audit", read_only=True).record("s", "ok")),
        auditlog.AuditLogError("failed"),
        auditlog.InvalidInput("status", "must be one of ok, error, denied"),
        auditlog.ConfigError("bad file", "/x/auditlog.toml", "tool_log.max_days", 2, "invalid type"),
        auditlog.StorageError("disk full"),
        auditlog.DirectoryError("/x", "permission denied"),
        auditlog.CorruptLog("line 3"),
        auditlog.FlushError("fsync failed"),
        auditlog.ComponentError("trapped"),
        auditlog.TimeLimitExceeded(5000),
        auditlog.MemoryLimitExceeded(1 << 20),
    ]
    assert {type(e) for e in samples} == {getattr(auditlog, name) for name in auditlog.errors.__all__}
    for error in samples:
        again = pickle.loads(pickle.dumps(error))
        assert type(again) is type(error)
        assert (str(again), again.args, vars(again)) == (str(error), error.args, vars(error))


def test_every_method_binds_by_its_signature(tmp_path):
    # inspect.signature of a bound method: keywords only, no `self` left.
    log = auditlog.AuditLog(tmp_path / "audit")
    methods = [name for name in dir(log) if not name.startswith("_") and callable(getattr(log, name))]
    flagged = 0
    for name in methods:
        signature = inspect.signature(getattr(log, name))
        assert "self" not in signature.parameters, name
        if "skills" in signature.parameters:
            assert signature.parameters["skills"].default is False, name
            signature.bind(skills=True)
            flagged += 1
        if "all_users" in signature.parameters:
            assert signature.parameters["all_users"].default is False, name
            signature.bind(all_users=True)
    assert flagged == 6
