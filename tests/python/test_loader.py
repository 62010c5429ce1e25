"""python/auditlog_wasm.py: the portable component under wasmtime-py.

Entries come back and land on disk as the Rust host stores them; queries page
and count; refused input raises InvalidInput naming the field and writes
nothing; damaged logs raise CorruptLog and are repaired; and the wasmtime-py
value mapping the module documents still holds.
"""

import json
import os
import re
import subprocess
import sys
from datetime import datetime, timezone

import pytest

import auditlog_wasm
from auditlog_wasm import AuditLog, CorruptLog, InvalidInput, User
from conftest import PYTHON_DIR, host_cli

SKILL_FIELDS = ["timestamp", "skill", "status", "duration_ms", "errors", "metadata", "seq", "hash"]
TOOL_FIELDS = ["ts", "user", "tool", "args", "status", "result_chars", "result_snippet", "seq", "hash"]
HEX64 = re.compile(r"^[0-9a-f]{64}$")


def compact(entry):
    return json.dumps(entry, separators=(",", ":"), ensure_ascii=False)


def skill_lines(log_dir):
    """The entries of audit_log.json, checking its one-entry-a-line layout."""
    text = (log_dir / "audit_log.json").read_text("utf-8")
    assert text.startswith("[\n") and text.endswith("\n]\n")
    entries = json.loads(text)
    lines = [line.strip().rstrip(",") for line in text[2:-3].split("\n") if line.strip()]
    assert lines == [compact(e) for e in entries]
    return entries


# -- appends ----------------------------------------------------------------


def test_record_round_trip(log, log_dir):
    first = log.record(
        "workflow.compose", "failed", 1234, ["Step 3 failed"], {"workflow": "example.yaml", "steps": 5}
    )
    assert list(first) == SKILL_FIELDS
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", first["timestamp"])
    assert first["skill"] == "workflow.compose"
    assert first["status"] == "failed"
    assert first["duration_ms"] == 1234
    assert first["errors"] == ["Step 3 failed"]
    assert list(first["metadata"].items()) == [("workflow", "example.yaml"), ("steps", 5)]
    assert first["seq"] == 1 and HEX64.match(first["hash"])

    receipt = log.append_skill("workflow.validate", "success", metadata='{"b": 1, "a": "é"}')
    second = receipt["entry"]
    assert list(second) == ["timestamp", "skill", "status", "metadata", "seq", "hash"]
    assert list(second["metadata"]) == ["b", "a"]
    assert second["seq"] == 2 and second["hash"] != first["hash"]
    assert receipt["path"] == str(log_dir / "audit_log.json")
    assert receipt["total_entries"] == 2
    assert receipt["recovered"] == []
    assert receipt["warnings"] == []

    assert skill_lines(log_dir) == [first, second]
    assert log.verify()["ok"]


def test_record_leaves_out_what_is_not_given(log):
    entry = log.record("a.b", "success")
    assert list(entry) == ["timestamp", "skill", "status", "seq", "hash"]
    entry = log.record("a.b", "success", 0, [], {})
    assert entry["duration_ms"] == 0 and entry["errors"] == [] and entry["metadata"] == {}


def test_tool_entry_truncates_long_args(log, log_dir):
    args = {"path": "notes.txt", "text": "é" * 600, "nested": {"deep": ["x" * 501, "y" * 500]}}
    receipt = log.append_tool("alice", "file_write", "ok", args=args, result="r" * 1000)
    entry = receipt["entry"]
    assert list(entry) == TOOL_FIELDS
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", entry["ts"])
    assert entry["user"] == "alice" and entry["tool"] == "file_write" and entry["status"] == "ok"
    assert entry["args"]["path"] == "notes.txt"
    assert entry["args"]["text"] == "é" * 500 + " …[600 chars total]"
    assert entry["args"]["nested"]["deep"] == ["x" * 500 + " …[501 chars total]", "y" * 500]
    assert entry["result_chars"] == 1000
    assert entry["result_snippet"] == "r" * 300
    assert entry["seq"] == 1 and HEX64.match(entry["hash"])

    day_file = log_dir / "alice" / "tool_audit" / f"{entry['ts'][:10]}.jsonl"
    assert receipt["path"] == str(day_file)
    assert day_file.read_text("utf-8") == compact(entry) + "\n"

    second = log.tool("alice", "file_read", "denied")
    assert second["args"] == {} and second["result_chars"] == 0 and second["result_snippet"] == ""
    assert second["seq"] == 2
    assert day_file.read_text("utf-8").splitlines() == [compact(entry), compact(second)]


def test_secrets_are_redacted_before_they_are_stored(log, log_dir):
    entry = log.record("deploy", "success", metadata={"db": {"password": "hunter2"}, "host": "h"})
    assert entry["metadata"] == {"db": {"password": "[REDACTED]"}, "host": "h"}
    assert entry["redacted"] == ["metadata.db.password"]
    assert b"hunter2" not in (log_dir / "audit_log.json").read_bytes()


def test_chain_key_links_with_a_mac(component_path, log_dir):
    with AuditLog(log_dir, component_path, chain_key=b"k" * 32) as log:
        entry = log.record("a", "success")
        assert "hash" not in entry and HEX64.match(entry["mac"])
        assert log.verify()["ok"]


def test_settings_are_those_of_configure_and_a_typo_touches_nothing(component_path, tmp_path):
    log_dir = tmp_path / "logs"
    with pytest.raises(TypeError, match="max_entires"):
        AuditLog(log_dir, component_path, max_entires=2)
    assert not log_dir.exists()
    with AuditLog(log_dir, component_path, max_entries=2, compress=True) as log:
        receipts = [log.append_skill(f"s{i}", "success") for i in range(3)]
        assert receipts[-1]["total_entries"] == 2


def test_max_entries_keeps_the_newest(component_path, log_dir):
    with AuditLog(log_dir, component_path, max_entries=2) as log:
        for i in range(4):
            receipt = log.append_skill(f"s{i}", "success")
        assert receipt["total_entries"] == 2
        assert [e["skill"] for e in skill_lines(log_dir)] == ["s2", "s3"]
        assert log.verify()["ok"]


def test_segments_compression_and_rotate(component_path, log_dir):
    today = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    tool_dir = log_dir / "alice" / "tool_audit"
    with AuditLog(log_dir, component_path, max_file_bytes=1024) as log:
        for i in range(12):
            log.tool("alice", "t", "ok", args={"i": i}, result="r" * 300)
        segments = sorted(p.name for p in tool_dir.glob("*.jsonl"))
        assert f"{today}.jsonl" in segments and f"{today}.1.jsonl" in segments
        before, _ = log.recent("alice", limit=100)
        assert [e["args"]["i"] for e in before] == list(range(11, -1, -1))
        assert log.rotate() == []  # nothing to compress or delete: compress is off

        log.configure(compress=True)
        rotated = log.rotate("alice")
        assert rotated and {r["action"] for r in rotated} == {"compressed"}
        for r in rotated:
            assert r["file"].startswith("alice/tool_audit/") and r["bytes"] >= 1024
            assert (log_dir / (r["file"] + ".gz")).is_file()
            assert not (log_dir / r["file"]).exists()
        assert log.recent("alice", limit=100)[0] == before
        assert log.verify()["ok"]
        assert log.rotate() == []


# -- queries ----------------------------------------------------------------


def test_recent_pages_newest_first(log):
    stored = [log.record(f"s{i}", "success", i) for i in range(5)]
    pages = []
    entries, cursor = log.recent("skills", limit=2)
    pages.append(entries)
    while cursor is not None:
        entries, cursor = log.recent("skills", limit=2, cursor=cursor)
        pages.append(entries)
    assert [[e["skill"] for e in page] for page in pages] == [["s4", "s3"], ["s2", "s1"], ["s0"]]
    assert [e for page in pages for e in page] == stored[::-1]

    entries, cursor = log.recent("skills")
    assert len(entries) == 5 and cursor is None


def test_recent_filters(log):
    log.record("build", "success")
    log.record("build", "failed")
    log.record("test", "failed")
    log.tool("alice", "read", "ok")
    log.tool("bob", "read", "error")
    log.tool("alice", "write", "denied")
    log.tool("skills", "read", "ok")  # a user who happens to be called "skills"

    names = lambda entries: [(e.get("skill") or e["tool"], e["status"]) for e in entries]  # noqa: E731
    assert names(log.recent("skills", name="build")[0]) == [("build", "failed"), ("build", "success")]
    assert names(log.recent("skills", status="failed")[0]) == [("test", "failed"), ("build", "failed")]
    assert names(log.recent("alice")[0]) == [("write", "denied"), ("read", "ok")]
    # Tool entries carry whole seconds: entries within one second may come in any user order.
    assert sorted(e["user"] for e in log.recent("all-users")[0]) == ["alice", "alice", "bob", "skills"]
    assert names(log.recent("all-users", name="read", status="error")[0]) == [("read", "error")]
    assert [e["user"] for e in log.recent(User("skills"))[0]] == ["skills"]
    assert log.recent("skills", since="2999-01-01")[0] == []
    assert log.recent("nobody") == ([], None)


def test_stats_totals(log):
    log.record("build", "success", 100)
    log.record("build", "failed", 1000)
    log.record("build", "success", 200)
    log.record("deploy", "timeout")
    stats = log.stats("skills")
    day = log.recent("skills", limit=1)[0][0]["timestamp"][:10]
    assert stats == {
        "total": 4,
        "errors": 2,
        "error_rate": 0.5,
        "other": 0,
        "by_status": {"failed": 1, "success": 2, "timeout": 1},
        "by_name": {
            "build": {"count": 3, "errors": 1, "avg_ms": pytest.approx(1300 / 3),
                      "p50_ms": 200, "p95_ms": 1000, "max_ms": 1000},
            "deploy": {"count": 1, "errors": 1, "avg_ms": None,
                       "p50_ms": None, "p95_ms": None, "max_ms": None},
        },
        "by_user": {},
        "by_day": {day: 4},
    }
    assert log.stats("skills", name="deploy")["total"] == 1

    log.tool("alice", "read", "ok")
    log.tool("bob", "read", "error")
    tools = log.stats("all-users")
    assert (tools["total"], tools["errors"], tools["by_user"]) == (2, 1, {"alice": 1, "bob": 1})
    assert log.stats("skills", since="2999-01-01")["total"] == 0


def test_stats_count_entries_of_another_schema_as_other(log, log_dir):
    log_dir.mkdir(parents=True, exist_ok=True)
    entries = [
        {"timestamp": "2025-10-20T08:00:00.000001+00:00", "skill": "api.a", "status": "failed"},
        {"timestamp": "2025-10-20T08:01:00Z", "audit_id": "a-1", "agent": "registry",
         "action": "skill.register", "details": {"v": 1}},
        {"timestamp": "2025-10-20T08:02:00+00:00", "skill": "api.a", "status": "success"},
    ]
    (log_dir / "audit_log.json").write_text(json.dumps(entries, indent=2), "utf-8")
    stats = log.stats("skills")
    assert (stats["total"], stats["errors"], stats["error_rate"], stats["other"]) == (2, 1, 0.5, 1)
    assert stats["by_status"] == {"failed": 1, "success": 1}
    assert list(stats["by_name"]) == ["api.a"]
    assert log.stats("skills", status="failed")["other"] == 0


def test_verify_ok_then_detects_an_edit(log, log_dir):
    log.record("a", "success", 100)
    log.record("b", "success", 200)
    log.tool("alice", "read", "ok")
    report = log.verify()
    assert report["ok"] and report["entries"] == 3 and report["problem"] is None
    assert {end["log"]: end["seq"] for end in report["ends"]} == {"audit_log.json": 2, "alice": 1}
    assert log.verify("alice")["entries"] == 1
    assert log.verify(checkpoint=report["ends"])["ok"]

    path = log_dir / "audit_log.json"
    path.write_text(path.read_text().replace('"duration_ms":100', '"duration_ms":101'))
    report = log.verify("skills")
    assert not report["ok"]
    assert report["problem"]["file"] == "audit_log.json"
    assert report["problem"]["seq"] == 1
    assert "modified" in report["problem"]["reason"]


def test_damaged_log_is_refused_by_reads_and_repaired(log, log_dir):
    log.record("a", "success")
    path = log_dir / "audit_log.json"
    path.write_bytes(path.read_bytes()[:-3] + b',\n  {"timest')  # a torn append
    with pytest.raises(CorruptLog) as caught:
        log.recent("skills")
    assert "audit_log.json" in str(caught.value) and str(caught.value).startswith("log file is damaged: ")
    assert log.repair() != []
    assert log.repair() == []
    entries, _ = log.recent("skills")
    assert [e["skill"] for e in entries] == ["auditlog.recovery", "a"]
    assert log.verify()["ok"]


def test_a_torn_tail_is_repaired_by_the_next_append(log, log_dir):
    log.record("a", "success")
    path = log_dir / "audit_log.json"
    path.write_bytes(path.read_bytes()[:-3] + b',\n  {"timest')
    receipt = log.append_skill("b", "success")
    [repair] = receipt["recovered"]
    assert list(repair) == ["file", "reason", "moved_to", "bytes", "kept", "notice"]
    assert repair["file"] == "audit_log.json" and repair["moved_to"] == ".damaged.audit_log.1"
    assert (log_dir / ".damaged.audit_log.1").exists()


# -- refusals ---------------------------------------------------------------

REFUSED = [
    ("status", lambda log: log.record("a.b", "BAD")),
    ("skill", lambda log: log.record("../etc", "success")),
    ("skill", lambda log: log.record("a b", "success")),
    ("skill", lambda log: log.record("a\udc80", "success")),
    ("skill", lambda log: log.record(5, "success")),
    ("duration_ms", lambda log: log.record("a", "success", -1)),
    ("duration_ms", lambda log: log.record("a", "success", 2**64)),
    ("duration_ms", lambda log: log.record("a", "success", True)),
    ("duration_ms", lambda log: log.record("a", "success", "150")),
    ("errors", lambda log: log.record("a", "success", errors="oops")),
    ("errors", lambda log: log.record("a", "success", errors=[1])),
    ("metadata", lambda log: log.record("a", "success", metadata="[1]")),
    ("metadata", lambda log: log.record("a", "success", metadata="{bad")),
    ("metadata", lambda log: log.record("a", "success", metadata={"x": float("nan")})),
    ("auditlog.", lambda log: log.record("auditlog.recovery", "recovered")),
    ("user", lambda log: log.tool(".hidden", "read", "ok")),
    ("user", lambda log: log.tool("a/b", "read", "ok")),
    ("tool", lambda log: log.tool("alice", "", "ok")),
    ("status", lambda log: log.tool("alice", "read", "maybe")),
    ("args", lambda log: log.tool("alice", "read", "ok", args="[]")),
    ("args", lambda log: log.tool("alice", "read", "ok", args=["x"])),
    ("result", lambda log: log.tool("alice", "read", "ok", result=None)),
]


@pytest.mark.parametrize("field,call", REFUSED, ids=[f"{f}-{i}" for i, (f, _) in enumerate(REFUSED)])
def test_refused_input_names_the_field_and_writes_nothing(log, log_dir, snapshot, field, call):
    log.record("before", "success")
    log.tool("alice", "before", "ok")
    before = snapshot(log_dir)
    with pytest.raises(InvalidInput) as caught:
        call(log)
    error = caught.value
    if field.endswith("."):  # reserved names: the component picks the field
        assert error.field in ("skill", "tool")
    else:
        assert error.field == field
    assert error.reason and str(error) == f"{error.field}: {error.reason}"
    assert isinstance(error, ValueError) and isinstance(error, auditlog_wasm.AuditLogError)
    assert snapshot(log_dir) == before
    assert log.verify()["ok"]


def test_refused_input_in_a_new_directory_writes_nothing(component_path, tmp_path, snapshot):
    log_dir = tmp_path / "fresh"
    with AuditLog(log_dir, component_path) as log:
        for call in (lambda: log.record("a", "BAD"), lambda: log.tool("u", "t", "maybe")):
            with pytest.raises(InvalidInput):
                call()
    assert snapshot(log_dir) == {}


@pytest.mark.parametrize(
    "field,kwargs",
    [
        ("limit", {"limit": 0}),
        ("limit", {"limit": -1}),
        ("since", {"since": "yesterday"}),
        ("until", {"until": "2025-13-01"}),
        ("cursor", {"cursor": "not-a-cursor"}),
        ("days", {"days": 0}),
        ("source", {"source": 3}),
        ("user", {"source": "../x"}),
    ],
)
def test_refused_queries(log, field, kwargs):
    kwargs = dict(kwargs)
    source = kwargs.pop("source", "skills")
    with pytest.raises(InvalidInput) as caught:
        log.recent(source, **kwargs)
    assert caught.value.field == field


@pytest.mark.parametrize(
    "field,settings",
    [("max_entries", {"max_entries": 0}), ("max_entry_bytes", {"max_entry_bytes": 10}),
     ("chain_key", {"chain_key": b"short"}), ("chain_key", {"chain_key": "a string"}),
     ("arg_max_chars", {"arg_max_chars": 2**32}),
     ("max_file_bytes", {"max_file_bytes": 10}), ("max_user_bytes", {"max_user_bytes": -1}),
     ("max_days", {"max_days": 2**32}), ("compress", {"compress": "yes"})],
)
def test_refused_settings(component_path, log_dir, field, settings):
    with pytest.raises(InvalidInput) as caught:
        AuditLog(log_dir, component_path, **settings)
    assert caught.value.field == field


def test_missing_component(tmp_path):
    with pytest.raises(auditlog_wasm.ComponentError, match="no-such.wasm"):
        AuditLog(tmp_path / "audit", tmp_path / "no-such.wasm")


# -- the wasmtime-py 50 mapping the module documents --------------------------


def test_wasmtime_py_value_mapping(component_path, tmp_path):
    import wasmtime
    from wasmtime.component import Record, Variant

    engine, linker = auditlog_wasm._engine_and_linker()
    store = wasmtime.Store(engine)
    wasi = wasmtime.WasiConfig()
    wasi.preopen_dir(str(tmp_path), "/")
    store.set_wasi(wasi)
    instance = linker.instantiate(store, auditlog_wasm.load_component(component_path))
    interface = instance.get_export_index(store, "audit:log/log@0.1.0")
    func = lambda name: instance.get_func(store, instance.get_export_index(store, name, interface))  # noqa: E731

    def record(**fields):
        rec = Record()
        for name, value in fields.items():
            setattr(rec, name, value)
        return rec

    run = record(skill="a", status="success", errors=None, metadata=None, **{"duration-ms": 5})
    receipt = func("append-skill")(store, run)  # result<skill-receipt, _>: the bare record
    assert isinstance(receipt, Record)
    assert getattr(receipt, "total-entries") == 1 and receipt.recovered == []
    assert json.loads(receipt.entry)["duration_ms"] == 5

    run.status = "BAD"
    error = func("append-skill")(store, run)  # the error is returned, not raised
    assert error == Variant("invalid", error.payload)
    assert (error.payload.field, isinstance(error.payload, Record)) == ("status", True)

    # A record needs every field, options included: the five rotation fields too.
    settings = dict.fromkeys(["max-entries", "arg-max-chars", "snippet-chars", "max-entry-bytes",
                              "chain-key", "redact-keys", "sync-data"])
    with pytest.raises(AttributeError, match="max-file-bytes"):
        func("configure")(store, record(**settings))
    settings.update(dict.fromkeys(["max-file-bytes", "max-days", "max-user-bytes", "compress",
                                   "compress-grace"]))
    assert func("configure")(store, record(**settings)) is None  # result<_, E>: ok is None

    filt = record(source=Variant("skills"), name=None, status=None, since=None, until=None, days=None)
    page = func("recent")(store, record(filter=filt, limit=None, cursor=None))
    assert getattr(page, "next-cursor") is None and len(page.entries) == 1  # option: None

    report = func("verify")(store, None, [])
    assert report.problem is None and report.entries == 1

    assert func("rotate")(store, None) == []  # list<rotation>: nothing to rotate here


# -- failures of the component, threads and processes -------------------------


def test_a_trap_discards_the_instance_and_the_next_call_starts_afresh(component_path, log_dir):
    with AuditLog(log_dir, component_path, memory_limit_mb=8, max_entries=2) as log:
        with pytest.raises(auditlog_wasm.ComponentError, match="the component failed: wasm trap"):
            log.tool("alice", "read", "ok", result="x" * (9 << 20))  # more than 8 MiB
        assert log.tool("alice", "read", "ok")["seq"] == 1
        for i in range(3):
            log.record(f"s{i}", "success")
        assert len(log.recent("skills")[0]) == 2  # the settings were applied again


def test_threads_share_one_log(log):
    import threading

    def work(n):
        for i in range(10):
            log.record(f"t{n}", "success", i)
            log.tool(f"u{n % 2}", "read", "ok")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    report = log.verify()
    assert report["ok"] and report["entries"] == 80


WRITER = (
        "import sys; sys.path.insert(0, sys.argv[1]); import auditlog_wasm as a\n"
        "log = a.AuditLog(sys.argv[2], sys.argv[3])\n"
        "for i in range(15):\n"
        "    log.record('p' + sys.argv[4], 'success', i); log.tool('alice', 'read', 'ok')\n"
)


def writers(component_path, log_dir, count):
    """``count`` processes, each appending 15 skill runs and 15 tool calls."""
    return [
        subprocess.Popen([sys.executable, "-c", WRITER, str(PYTHON_DIR), str(log_dir), str(component_path), str(n)])
        for n in range(count)
    ]


def test_writer_processes_are_serialised(component_path, log_dir):
    procs = writers(component_path, log_dir, 4)
    assert [p.wait(timeout=60) for p in procs] == [0] * 4
    with AuditLog(log_dir, component_path) as log:
        report = log.verify()
        assert report["ok"], report["problem"]
        assert {end["log"]: end["seq"] for end in report["ends"]} == {"audit_log.json": 60, "alice": 60}
        assert len(skill_lines(log_dir)) == 60


@pytest.mark.skipif(host_cli() is None, reason="no auditlog binary (set AUDITLOG_BIN or build target/debug)")
def test_python_and_host_writers_are_serialised(component_path, log_dir):
    cli = host_cli()

    def host_writer():
        for _ in range(3):
            for args in (["record", "rs", "success"], ["tool", "--user", "alice", "--tool", "rs", "--status", "ok"]):
                subprocess.run([cli, "--dir", str(log_dir), *args], check=True, capture_output=True, timeout=60)

    host_writer()  # creates the lock files the host and this module share
    procs = writers(component_path, log_dir, 2)
    host_writer()
    assert [p.wait(timeout=60) for p in procs] == [0] * 2
    with AuditLog(log_dir, component_path) as log:
        report = log.verify()
        assert report["ok"], report["problem"]
        assert {end["log"]: end["seq"] for end in report["ends"]} == {"audit_log.json": 36, "alice": 36}


def test_legacy_entries_are_counted_adopted_once_and_then_proven(log, log_dir):
    # audit_log.py's file: pretty-printed, +00:00 microseconds and Z times.
    log_dir.mkdir(parents=True, exist_ok=True)
    seed = [
        {"timestamp": "2025-09-01T08:00:00.000000+00:00", "skill": "a", "status": "success"},
        {"timestamp": "2025-09-02T08:00:00Z", "skill": "b", "status": "failed"},
    ]
    (log_dir / "audit_log.json").write_text(json.dumps(seed, indent=2))
    log.record("c", "success")
    report = log.verify("skills")
    assert report["ok"] and report["entries"] == 1
    assert report["legacy"] == [{
        "log": "audit_log.json", "before_chain": 2, "total": 2, "adopted_seq": None,
        "adopted_entries": 0, "first_time": "2025-09-01T08:00:00.000000+00:00",
        "last_time": "2025-09-02T08:00:00Z",
    }]
    assert report["unsealed"] == [] and report["unsealed_total"] == 0

    assert log.adopt("skills") == [{
        "log": "audit_log.json", "entries": 2, "first_time": "2025-09-01T08:00:00.000000+00:00",
        "last_time": "2025-09-02T08:00:00Z", "sealed_as": 2, "adopted_at": 2,
    }]
    before = (log_dir / "audit_log.json").read_bytes()
    assert log.adopt("skills")[0]["sealed_as"] is None
    assert (log_dir / "audit_log.json").read_bytes() == before
    legacy = log.verify("skills")["legacy"][0]
    assert (legacy["adopted_seq"], legacy["adopted_entries"]) == (2, 2)

    path = log_dir / "audit_log.json"
    path.write_bytes(before.replace(b'"failed"', b'"failex"', 1))
    report = log.verify("skills")
    assert not report["ok"] and "legacy" in report["problem"]["reason"]
    with pytest.raises(CorruptLog):
        log.adopt("skills")
    assert path.read_bytes() == before.replace(b'"failed"', b'"failex"', 1)


def _cache_files_after_a_load(component_path, cache_home):
    """The files wasmtime's cache holds under ``cache_home`` after a fresh
    process loads the component and records one entry."""
    script = (
        f"import sys; sys.path.insert(0, {str(PYTHON_DIR)!r})\n"
        "import tempfile, auditlog_wasm\n"
        "auditlog_wasm.AuditLog(tempfile.mkdtemp()).record('cache.check', 'success')\n"
    )
    env = dict(os.environ, XDG_CACHE_HOME=str(cache_home), AUDITLOG_COMPONENT=str(component_path))
    env.pop("AUDITLOG_CACHE_DIR", None)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr.decode()
    return [p for p in (cache_home / "wasmtime").rglob("*") if p.is_file()]


def test_a_private_cache_directory_keeps_the_compiled_code(component_path, tmp_path):
    assert _cache_files_after_a_load(component_path, tmp_path / "home-cache")


@pytest.mark.parametrize("planted", ["writable by others", "owned by another user"])
def test_a_cache_directory_someone_else_could_plant_code_in_is_not_used(
    component_path, tmp_path, planted
):
    # The attack: compiled code is run as it is loaded, so whoever can put a
    # file in the cache directory runs code in the loader's process.
    cache = tmp_path / "shared-cache" / "wasmtime"
    cache.mkdir(parents=True)
    if planted == "writable by others":
        cache.chmod(0o777)
    else:
        try:
            os.chown(cache, 65534, 65534)
        except PermissionError:
            pytest.skip("changing a directory's owner needs root")
    assert _cache_files_after_a_load(component_path, tmp_path / "shared-cache") == []
