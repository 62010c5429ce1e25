"""The package and the CLI on the same directory: what one writes the other
reads, the JSON the package returns is the JSON the CLI prints with
--format json, and the same calls at the same instant store the same bytes."""

import collections
import json

import pytest

import auditlog
from conftest import cli_json, run_cli, snapshot

NOW = "2025-10-23T12:34:56.789Z"


def test_package_writes_cli_reads(log_dir):
    log = auditlog.AuditLog(log_dir)
    run = log.record("workflow.compose", "failed", 5000, ["Step 3 failed"], {"workflow": "example.yaml", "steps": 5})
    call = log.tool("alice", "file_read", "ok", args={"path": "notes.txt", "api_key": "sk-123"}, result="hello " * 100)
    assert call["args"] == {"path": "notes.txt", "api_key": "[REDACTED]"}
    assert (call["result_chars"], len(call["result_snippet"])) == (600, 300)

    assert cli_json(log_dir, "recent", "--skills") == [run] == log.recent(skills=True)
    assert cli_json(log_dir, "recent", "--user", "alice") == [call] == log.recent(user="alice")
    assert cli_json(log_dir, "stats", "--all-users") == log.stats(all_users=True)
    assert cli_json(log_dir, "stats", "--skills", "--status", "failed") == log.stats(skills=True, status="failed")
    assert log.verify()["ok"] and log.verify()["entries"] == 2
    code, out, err = run_cli(log_dir, "verify")
    assert (code, out.splitlines()[0]) == (0, "2 entries verified"), err


def test_cli_writes_package_reads(log_dir):
    for status in ("ok", "error", "denied"):
        code, out, err = run_cli(log_dir, "tool", "--user", "bob", "--tool", "shell", "--status", status, "--args", '{"cmd": "ls"}')
        assert code == 0, err
    run_cli(log_dir, "record", "registry.update", "success", "", "[]", '{"action": "update"}')
    log = auditlog.AuditLog(log_dir)
    entries = log.recent(user="bob")
    assert [e["status"] for e in entries] == ["denied", "error", "ok"]  # newest first
    assert entries == cli_json(log_dir, "recent", "--user", "bob")
    assert log.stats(user="bob")["errors"] == 2
    assert log.recent(skills=True)[0]["metadata"] == {"action": "update"}
    page = log.recent_page(user="bob", limit=2)
    assert len(page["entries"]) == 2 and page["next_cursor"]
    rest = log.recent_page(user="bob", limit=2, cursor=page["next_cursor"])
    assert [e["status"] for e in rest["entries"]] == ["ok"] and rest["next_cursor"] is None


def test_the_same_calls_store_the_same_bytes(tmp_path):
    by_cli, by_package = tmp_path / "cli", tmp_path / "package"
    env = {"AUDITLOG_NOW": NOW}
    run_cli(by_cli, "record", "workflow.validate", "success", "150", env=env)
    run_cli(by_cli, "record", "workflow.compose", "failed", "5000", '["Step 3 failed", "Timeout occurred"]', env=env)
    run_cli(by_cli, "tool", "--user", "alice", "--tool", "search", "--status", "ok",
            "--args", json.dumps({"q": "x" * 600, "token": "abc"}), "--result", "r" * 400, env=env)
    log = auditlog.AuditLog(by_package, now=NOW)
    log.record("workflow.validate", "success", 150)
    log.record("workflow.compose", "failed", 5000, ["Step 3 failed", "Timeout occurred"])
    log.tool("alice", "search", "ok", args={"q": "x" * 600, "token": "abc"}, result="r" * 400)
    written = snapshot(by_package)
    assert written and written == snapshot(by_cli)


def test_repair_rotate_and_adopt_answer_as_the_cli(log_dir):
    log = auditlog.AuditLog(log_dir)
    log.tool("alice", "t", "ok")
    assert log.repair() == cli_json(log_dir, "repair", "--format", "json") == []
    assert log.rotate() == cli_json(log_dir, "rotate", "--format", "json") == []
    (log_dir / "carol" / "tool_audit").mkdir(parents=True)
    seed_line = {"ts": "2025-10-20T09:00:00", "user": "carol", "tool": "file_read", "args": {},
                 "status": "ok", "result_chars": 0, "result_snippet": ""}
    (log_dir / "carol" / "tool_audit" / "2025-10-20.jsonl").write_text(json.dumps(seed_line) + "\n")
    assert log.recent(user="carol", since="2025-10-01") == [seed_line]
    adopted = log.adopt(user="carol")
    assert [(a["log"], a["entries"], a["sealed_as"]) for a in adopted] == [("carol", 1, 1)]
    assert log.adopt(user="carol")[0]["sealed_as"] is None
    assert log.verify(user="carol")["ok"]


def test_verify_reports_tampering_and_keeps_a_checkpoint(log_dir, tmp_path):
    log = auditlog.AuditLog(log_dir)
    for n in range(3):
        log.record("s", "success", n)
    checkpoint = tmp_path / "checkpoint.json"
    assert log.verify(skills=True, checkpoint=checkpoint)["ok"]
    assert json.loads(checkpoint.read_text())["logs"]["audit_log.json"]["seq"] == 3
    report = log.verify(skills=True)
    assert log.verify(checkpoint=report["ends"])["ok"]
    path = log_dir / "audit_log.json"
    path.write_text(path.read_text().replace('"duration_ms":1', '"duration_ms":7'))
    report = log.verify(skills=True, checkpoint=checkpoint)
    assert not report["ok"] and report["problem"]["file"] == "audit_log.json"
    with pytest.raises(auditlog.InvalidInput) as refused:
        log.verify(checkpoint=log_dir / "inside.json")
    assert refused.value.field == "checkpoint"


def test_a_checkpoint_is_never_written_through_a_prepared_temporary(log_dir, tmp_path):
    """The attack the CLI already stops: a symbolic link planted at the old
    fixed ``<name>.tmp`` in a shared directory made ``verify`` overwrite the
    file it pointed at."""
    log = auditlog.AuditLog(log_dir)
    log.record("s", "success")
    victim = tmp_path / "victim"
    victim.write_text("keep me\n")
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "ckpt.tmp").symlink_to(victim)
    checkpoint = shared / "ckpt.json"
    assert log.verify(checkpoint=checkpoint)["ok"]
    assert victim.read_text() == "keep me\n"
    assert checkpoint.is_file() and not checkpoint.is_symlink()
    assert json.loads(checkpoint.read_text())["logs"]["audit_log.json"]["seq"] == 1


def test_a_damaged_checkpoint_is_refused_not_blamed_on_the_log(log_dir, tmp_path):
    log = auditlog.AuditLog(log_dir)
    log.record("s", "success")
    checkpoint = tmp_path / "checkpoint.json"
    assert log.verify(checkpoint=checkpoint)["ok"]
    written = json.loads(checkpoint.read_text())
    written["logs"]["audit_log.json"]["link"] = written["logs"]["audit_log.json"]["link"][:20]
    checkpoint.write_text(json.dumps(written))
    with pytest.raises(auditlog.InvalidInput) as refused:
        log.verify(checkpoint=checkpoint)
    assert refused.value.field == "checkpoint" and "64 hexadecimal digits" in str(refused.value)


def test_tool_cuts_as_the_clis_flags(tmp_path):
    by_cli, by_package = tmp_path / "cli", tmp_path / "package"
    args, result = {"q": "x" * 50}, "r" * 40
    code, _, err = run_cli(by_cli, "tool", "--user", "alice", "--tool", "search", "--status", "ok",
                           "--args", json.dumps(args), "--result", result,
                           "--arg-max-chars", "10", "--snippet-chars", "5", env={"AUDITLOG_NOW": NOW})
    assert code == 0, err
    log = auditlog.AuditLog(by_package, now=NOW)
    entry = log.tool("alice", "search", "ok", args, result, arg_max_chars=10, snippet_chars=5)
    assert entry["args"]["q"] == "x" * 10 + " …[50 chars total]" and entry["result_snippet"] == "r" * 5
    assert snapshot(by_package) == snapshot(by_cli)
    assert len(log.tool("alice", "search", "ok", args, result)["result_snippet"]) == 40  # the log's own again
    with pytest.raises(auditlog.InvalidInput) as refused:
        log.tool("alice", "search", "ok", arg_max_chars=0)
    assert refused.value.field == "arg_max_chars"


class Text(str):
    """A ``str`` subclass: ``json`` encodes it as the text it holds."""


#: Arguments of every JSON type and the cases Python's ``json`` has rules
#: for: escapes and non-ASCII text, float and integer forms (to 64 bits:
#: larger ones are refused, see test_bad_input), tuples, deep nesting, keys
#: that are not text, subclasses.
TRICKY_ARGS = [
    {"text": 'quote " backslash \\ newline \n tab \t bell \x07 unit \x1f del \x7f é ✓ 😀', "empty": ""},
    {"floats": [0.1, 1e16, -0.0, 1.5e-7, 123456789.125, 2.0], "ints": [0, -1, 2**63 - 1, 2**64 - 1, -(2**63)]},
    {"nested": {"list": [1, [2, [3, {"deep": None}]]], "tuple": (1, "two", False), "flags": [True, False, None]}},
    {"deep": json.loads("[" * 80 + "]" * 80)},
    {1: "int key", None: "none key", 2.5: "float key"},
    collections.OrderedDict([("b", 1), ("a", 2)]),
    {"sub": Text("x"), "Text": [Text("y")]},
]


@pytest.mark.parametrize("args", TRICKY_ARGS, ids=range(len(TRICKY_ARGS)))
def test_args_of_every_kind_store_what_the_cli_stores_for_their_json(tmp_path, args):
    by_cli, by_package = tmp_path / "cli", tmp_path / "package"
    text = json.dumps(args, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    code, _, err = run_cli(by_cli, "tool", "--user", "al", "--tool", "t", "--status", "ok", "--args", text,
                           env={"AUDITLOG_NOW": NOW})
    assert code == 0, err
    log = auditlog.AuditLog(by_package, now=NOW)
    entry = log.tool("al", "t", "ok", args=args)
    written = snapshot(by_package)
    assert written and written == snapshot(by_cli)
    # The dict returned is the entry as every reader gives it back.
    recent = cli_json(by_cli, "recent", "--user", "al", env={"AUDITLOG_NOW": NOW})
    assert entry == log.recent(user="al")[0] == recent[0]


def test_recent_returns_limit_entries_however_large(tmp_path):
    """40 entries of 1 MiB another writer stored: more than one answer of the
    component carries (32 MiB), yet ``recent`` returns all it was asked for,
    and ``recent_page`` hands out the rest through its cursor."""
    day = tmp_path / "alice" / "tool_audit" / "2025-10-23.jsonl"
    day.parent.mkdir(parents=True)
    pad = "x" * (1 << 20)
    with day.open("w") as out:
        for i in range(40):
            entry = {"ts": f"2025-10-23T01:00:{i:02d}Z", "user": "alice", "tool": f"t{i}", "args": {"pad": pad}, "status": "ok"}
            out.write(json.dumps(entry) + "\n")
    log = auditlog.AuditLog(tmp_path, now="2025-10-23T05:00:00Z")
    entries = log.recent(user="alice", limit=10000)
    assert [e["tool"] for e in entries] == [f"t{i}" for i in reversed(range(40))]
    assert len(log.recent(user="alice", limit=35)) == 35
    page = log.recent_page(user="alice", limit=10000)
    assert 0 < len(page["entries"]) < 40 and page["next_cursor"]
