"""Bad input as a careless caller or an attacker passes it: each raises
InvalidInput naming the field, with the CLI's message, and leaves every byte
of the log directory as it was."""

import datetime
import math
import os

import pytest

import auditlog
from conftest import run_cli, snapshot

#: An object that holds itself.
CIRCULAR: dict = {"name": "loop"}
CIRCULAR["self"] = [CIRCULAR]

TOOL_CALLS = [
    ("status", dict(user="alice", tool="t", status="maybe")),
    ("user", dict(user="../etc", tool="t", status="ok")),
    ("user", dict(user="a/b", tool="t", status="ok")),
    ("user", dict(user="nul\0", tool="t", status="ok")),
    ("user", dict(user=7, tool="t", status="ok")),
    ("tool", dict(user="alice", tool="\ud800", status="ok")),
    ("args", dict(user="alice", tool="t", status="ok", args="not json")),
    ("args", dict(user="alice", tool="t", status="ok", args="[1, 2]")),
    ("args", dict(user="alice", tool="t", status="ok", args={"x": math.nan})),
    ("args", dict(user="alice", tool="t", status="ok", args={"x": object()})),
    ("args", dict(user="alice", tool="t", status="ok", args={"x": [1, {"y": math.inf}]})),
    ("args", dict(user="alice", tool="t", status="ok", args={"x": "lone \ud800"})),
    ("args", dict(user="alice", tool="t", status="ok", args={"\udc00": 1})),
    ("args", dict(user="alice", tool="t", status="ok", args=CIRCULAR)),
    ("args.n", dict(user="alice", tool="t", status="ok", args={"n": 2**64})),
    ("args.n[1]", dict(user="alice", tool="t", status="ok", args={"n": [0, -(2**63) - 1]})),
    ("args", dict(user="alice", tool="t", status="ok", args=["a"])),
    ("result", dict(user="alice", tool="t", status="ok", result=b"bytes")),
]

SKILL_RUNS = [
    ("skill", dict(skill="", status="success")),
    ("skill", dict(skill=None, status="success")),
    ("duration_ms", dict(skill="s", status="success", duration_ms=-1)),
    ("duration_ms", dict(skill="s", status="success", duration_ms=True)),
    ("duration_ms", dict(skill="s", status="success", duration_ms=2**64)),
    ("errors", dict(skill="s", status="success", errors="one string")),
    ("errors", dict(skill="s", status="success", errors=[1])),
    ("metadata", dict(skill="s", status="success", metadata="[]")),
    ("metadata", dict(skill="s", status="success", metadata='{"a": 1} trailing')),
]


@pytest.fixture
def log(log_dir):
    log = auditlog.AuditLog(log_dir)
    log.record("workflow.validate", "success", 150)
    log.tool("alice", "file_read", "ok", args={"path": "a.txt"})
    return log


@pytest.mark.parametrize("field,call", TOOL_CALLS)
def test_a_refused_tool_call_names_its_field_and_writes_nothing(log, log_dir, field, call):
    before = snapshot(log_dir)
    with pytest.raises(auditlog.InvalidInput) as refused:
        log.tool(**call)
    assert refused.value.field == field
    assert str(refused.value).startswith(f"{field}: ")
    assert isinstance(refused.value, ValueError)
    assert snapshot(log_dir) == before


@pytest.mark.parametrize("field,call", SKILL_RUNS)
def test_a_refused_skill_run_names_its_field_and_writes_nothing(log, log_dir, field, call):
    before = snapshot(log_dir)
    with pytest.raises(auditlog.InvalidInput) as refused:
        log.record(**call)
    assert refused.value.field == field
    assert snapshot(log_dir) == before


def test_the_message_is_the_clis(log, log_dir):
    with pytest.raises(auditlog.InvalidInput) as refused:
        log.tool("alice", "t", "maybe")
    code, _, err = run_cli(log_dir, "tool", "--user", "alice", "--tool", "t", "--status", "maybe")
    assert (code, err) == (2, f"auditlog: {refused.value}\n")
    with pytest.raises(auditlog.InvalidInput) as refused:
        log.recent(user="alice", skill="x")
    code, _, err = run_cli(log_dir, "recent", "--user", "alice", "--skill", "x")
    assert (code, err) == (2, f"auditlog: {refused.value}\n")


def test_reads_refuse_bad_selections(log):
    for selection, field in [
        (dict(), "source"),
        (dict(skills=True, user="alice"), "source"),
        (dict(user="alice", skill="x"), "skill"),
        (dict(skills=True, tool="x"), "tool"),
        (dict(user="alice", days=-1), "days"),
        (dict(user="alice", since="yesterday"), "since"),
        (dict(user="alice", limit=0), "limit"),
        (dict(user="alice", cursor="forged"), "cursor"),
    ]:
        with pytest.raises(auditlog.InvalidInput) as refused:
            log.recent(**selection)
        assert refused.value.field == field, selection
    with pytest.raises(auditlog.InvalidInput):
        log.verify(skills=True, all_users=True)


def test_settings_are_checked(log_dir):
    with pytest.raises(TypeError, match="unexpected keyword argument 'max_entires'"):
        auditlog.AuditLog(log_dir, max_entires=5)
    for settings, field in [
        (dict(max_entries=0), "max_entries"),
        (dict(max_entries="10"), "max_entries"),
        (dict(compress="yes"), "compress"),
        (dict(chain_key=b"short"), "chain_key"),
        (dict(redact_keys="word"), "redact_keys"),
        (dict(sync="sometimes"), "sync"),
        (dict(now="noon"), "now"),
    ]:
        with pytest.raises(auditlog.InvalidInput) as refused:
            auditlog.AuditLog(log_dir, **settings)
        assert refused.value.field == field, settings


def test_a_keyed_log_refuses_a_writer_without_the_key(log_dir):
    key = b"k" * 32
    auditlog.AuditLog(log_dir, chain_key=key).tool("alice", "t", "ok")
    before = snapshot(log_dir)
    with pytest.raises(auditlog.AuditLogError):
        auditlog.AuditLog(log_dir).tool("alice", "t", "ok")
    assert snapshot(log_dir) == before
    assert auditlog.AuditLog(log_dir, chain_key=key).verify()["ok"]


def test_a_bad_config_file_is_a_config_error(log_dir):
    log_dir.mkdir()
    (log_dir / "auditlog.toml").write_text("[tool_log]\nmax_days = -3\n")
    with pytest.raises(auditlog.ConfigError) as refused:
        auditlog.AuditLog(log_dir)
    code, _, err = run_cli(log_dir, "recent", "--user", "alice")
    assert (code, err) == (2, f"auditlog: {refused.value}\n")


def test_an_unusable_directory_is_a_directory_error(tmp_path):
    (tmp_path / "file").write_text("")
    with pytest.raises(auditlog.DirectoryError):
        auditlog.AuditLog(tmp_path / "file" / "audit")


def test_a_number_out_of_range_gets_the_settings_one_message(log, log_dir):
    # -1 and 2**70 are refused as the nearest refused number of the right
    # type is: the same range, whatever the size or sign of the number.
    log.record("s", "success")
    calls = [
        ("max_entries", 0, lambda n: auditlog.AuditLog(log_dir, max_entries=n)),
        ("max_entry_bytes", 0, lambda n: auditlog.AuditLog(log_dir, max_entry_bytes=n)),
        ("max_file_bytes", 1023, lambda n: auditlog.AuditLog(log_dir, max_file_bytes=n)),
        ("memory_limit_mb", 0, lambda n: auditlog.AuditLog(log_dir, memory_limit_mb=n)),
        ("timeout_ms", 0, lambda n: auditlog.AuditLog(log_dir, timeout_ms=n)),
        ("limit", 0, lambda n: log.recent(skills=True, limit=n)),
        ("days", 0, lambda n: log.recent(skills=True, days=n)),
        ("arg_max_chars", 0, lambda n: log.tool("u", "t", "ok", arg_max_chars=n)),
        ("snippet_chars", 65537, lambda n: log.tool("u", "t", "ok", snippet_chars=n)),
    ]
    for field, refused, call in calls:
        with pytest.raises(auditlog.InvalidInput) as first:
            call(refused)
        assert first.value.field == field
        assert first.value.reason.endswith(f", got {refused}"), first.value
        for n in (-1, -(2**70), 2**70):
            with pytest.raises(auditlog.InvalidInput) as again:
                call(n)
            assert again.value.field == field
            assert again.value.reason == first.value.reason.replace(f"got {refused}", f"got {n}")
    with pytest.raises(auditlog.InvalidInput) as too_many:
        log.recent(skills=True, limit=10_001)
    assert str(too_many.value) == "limit: must be between 1 and 10000, got 10001"


@pytest.mark.parametrize("flag", ["skills", "all_users"])
@pytest.mark.parametrize("value", [1, "yes", 0.0])
def test_a_flag_of_the_wrong_type_names_itself(log, flag, value):
    calls = [
        lambda: log.recent(**{flag: value}),
        lambda: log.recent_page(**{flag: value}),
        lambda: log.stats(**{flag: value}),
        lambda: log.verify(**{flag: value}),
        lambda: log.repair(**{flag: value}),
        lambda: log.adopt(**{flag: value}),
    ]
    if flag == "all_users":
        calls.append(lambda: log.rotate(all_users=value))
    for call in calls:
        with pytest.raises(auditlog.InvalidInput) as refused:
            call()
        assert refused.value.field == flag
        assert refused.value.reason == f"must be True or False, got {type(value).__name__}"


def test_read_only_creates_nothing(tmp_path):
    missing = tmp_path / "missing"
    with pytest.raises(auditlog.InvalidInput) as refused:
        auditlog.AuditLog(missing, read_only=True)
    assert refused.value.field == "dir" and "a read creates nothing" in refused.value.reason
    assert list(tmp_path.iterdir()) == []
    auditlog.AuditLog(tmp_path / "audit").record("s", "success")
    before = snapshot(tmp_path)
    assert len(auditlog.AuditLog(tmp_path / "audit", read_only=True).recent(skills=True)) == 1
    assert snapshot(tmp_path) == before


def test_an_aware_datetime_is_taken_as_its_instant(log):
    # Zones have had offsets with seconds (Amsterdam: +00:19:32 until 1937),
    # which RFC 3339 cannot write: the instant is the same in UTC.
    recorded = len(log.recent(skills=True, since="1900-01-01T00:00:00Z"))

    class Amsterdam1900(datetime.tzinfo):
        def utcoffset(self, when):
            return datetime.timedelta(minutes=19, seconds=32)

        def dst(self, when):
            return datetime.timedelta(0)

    old = datetime.datetime(1900, 1, 1, tzinfo=Amsterdam1900())
    assert len(log.recent(skills=True, since=old)) == recorded
    assert log.recent(skills=True, until=old) == []
    now = datetime.datetime.now(Amsterdam1900())
    assert log.recent(skills=True, since=now + datetime.timedelta(hours=1)) == []


@pytest.mark.parametrize("kind", ["a FIFO", "a character device"])
def test_a_component_or_checkpoint_that_is_no_regular_file_is_refused_without_hanging(
    log, log_dir, tmp_path, kind
):
    # A FIFO would hold the read until a writer came; /dev/zero never ends.
    if kind == "a FIFO":
        path = tmp_path / "pipe"
        os.mkfifo(path, 0o600)
    else:
        path = "/dev/zero"
    before = snapshot(log_dir)
    for field, call in [
        ("component", lambda: auditlog.AuditLog(log_dir, component=path)),
        ("checkpoint", lambda: log.verify(checkpoint=path)),
    ]:
        with pytest.raises(auditlog.InvalidInput) as refused:
            call()
        assert refused.value.field == field
        assert str(refused.value) == f"{field}: {path} is not a regular file (it is {kind})"
    assert snapshot(log_dir) == before
