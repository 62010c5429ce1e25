"""The seeds' drop-ins, used as their callers use them: the orchestrator's
``tool_audit`` module from asyncio (fire-and-forget), and Betty's
``audit_log.py`` as a command, as ``python -m``, and in-process with stdout
redirected to a StringIO as her skill executor does."""

import asyncio
import io
import json
import logging
import os
import runpy
import subprocess
import sys
import time
from pathlib import Path

import pytest

import auditlog
from auditlog import audit_log, tool_audit
from conftest import REPO, run_cli, snapshot

SEED_EXAMPLES = [
    ["workflow.validate", "success", "150"],
    ["workflow.compose", "failed", "5000", '["Step 3 failed", "Timeout occurred"]'],
    ["api.validate", "success", "250", "[]", '{"api": "users.yaml", "endpoints": 12}'],
    ["registry.update", "success", "", "[]", '{"skill": "api.validate", "action": "update"}'],
]


# -- the orchestrator's tool_audit -------------------------------------------


@pytest.fixture
def root(tmp_path):
    root = tmp_path / "home"
    tool_audit.configure(root)
    yield root
    tool_audit.configure(None)


def test_fire_and_forget_records_from_the_event_loop(root):
    async def orchestrator():
        # As tools/__init__.py's call_tool(): create the task and move on.
        for n in range(20):
            asyncio.create_task(tool_audit.record("alice", "file_read", {"path": f"{n}.txt"}, "ok", "x" * 400))
        asyncio.create_task(tool_audit.record("bob", "shell", {"cmd": "y" * 600}, "denied"))
        for _ in range(1000):  # the loop goes on serving requests
            if len(tool_audit.read_recent("alice")) == 20 and tool_audit.read_recent("bob"):
                return
            await asyncio.sleep(0.01)

    asyncio.run(orchestrator())
    entries = tool_audit.read_recent("alice")
    assert sorted(e["args"]["path"] for e in entries) == sorted(f"{n}.txt" for n in range(20))
    assert all(list(e)[:7] == ["ts", "user", "tool", "args", "status", "result_chars", "result_snippet"] for e in entries)
    assert entries[0]["result_chars"] == 400 and len(entries[0]["result_snippet"]) == 300
    denied = tool_audit.read_recent("bob")[0]
    assert denied["args"]["cmd"] == "y" * 500 + " …[600 chars total]"
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.jsonl"))
    assert len(files) == 2 and files[0].startswith("alice/tool_audit/") and files[1].startswith("bob/tool_audit/")
    everyone = tool_audit.read_recent_all_users(days=1)
    assert len(everyone) == 21 and everyone[0]["ts"] >= everyone[-1]["ts"]
    assert tool_audit.read_recent("alice", limit=5) == entries[:5]


def test_a_failed_record_is_logged_not_raised(root, caplog):
    async def orchestrator():
        task = asyncio.create_task(tool_audit.record("../escape", "t", {}, "ok"))
        await task
        return task

    with caplog.at_level(logging.WARNING, logger="auditlog.tool_audit"):
        task = asyncio.run(orchestrator())
    assert task.exception() is None
    assert "audit log write failed for ../escape: user:" in caplog.text
    assert snapshot(root) == {}


def test_the_seeds_files_are_read_as_they_are(root):
    day = root / "carol" / "tool_audit" / "2025-10-20.jsonl"
    day.parent.mkdir(parents=True)
    line = {"ts": "2025-10-20T09:00:00", "user": "carol", "tool": "file_read", "args": {"path": "a"},
            "status": "ok", "result_chars": 1, "result_snippet": "a"}
    day.write_text(json.dumps(line) + "\n")
    log = auditlog.AuditLog(root)
    assert log.recent(user="carol", since="2025-10-20") == [line]
    assert tool_audit.read_recent("carol") == []  # older than 7 days


def test_the_root_comes_from_the_environment(tmp_path, monkeypatch):
    tool_audit.configure(None)
    monkeypatch.setenv("AUDITLOG_DIR", str(tmp_path / "from-env"))
    asyncio.run(tool_audit.record("dave", "t", {}, "ok"))
    assert list((tmp_path / "from-env" / "dave" / "tool_audit").glob("*.jsonl"))


FIRE_AND_FORGET = r"""
import asyncio, sys
from auditlog import tool_audit

async def handle_requests():
    for i in range(50):  # 50 tool calls dispatched, none awaited
        asyncio.create_task(tool_audit.record(f"u{i % 5}", "file_read", {"i": i}, "ok", "result"))
    await asyncio.sleep(0)  # each task takes its first step; then the program ends

asyncio.run(handle_requests())
"""


def test_fire_and_forget_writes_every_call_when_the_program_ends(tmp_path):
    # asyncio.run() cancels the tasks still waiting for their writes, and
    # closes the loop: the writes must happen all the same.
    root = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUDITLOG_")}
    done = subprocess.run(
        [sys.executable, "-c", FIRE_AND_FORGET], capture_output=True, env={**env, "AUDITLOG_DIR": str(root)}, timeout=120
    )
    assert (done.returncode, done.stderr.decode()) == (0, "")
    lines = [json.loads(line) for f in root.glob("*/tool_audit/*.jsonl") for line in f.open()]
    assert sorted(e["args"]["i"] for e in lines) == list(range(50))
    assert auditlog.AuditLog(root).verify()["ok"]


def test_a_cancelled_record_still_writes(root):
    async def orchestrator():
        task = asyncio.create_task(tool_audit.record("alice", "file_read", {"path": "a"}, "ok"))
        await asyncio.sleep(0)  # the first step hands the write over
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(orchestrator())
    for _ in range(1000):
        if tool_audit.read_recent("alice"):
            break
        time.sleep(0.01)
    assert [e["args"] for e in tool_audit.read_recent("alice")] == [{"path": "a"}]


def record_now(*call):
    asyncio.run(tool_audit.record(*call))
    return tool_audit.read_recent(call[0])[0]


def test_a_call_whose_args_are_refused_is_recorded_with_a_note(root, caplog):
    # Padding one argument past the 1 MiB the log takes must not hide the call.
    big = {"cmd": "rm -rf /data", "password": "hunter2", "padding": "x" * (1100 * 1024)}
    entry = record_now("mallory", "shell", big, "ok", "done")
    assert (entry["tool"], entry["status"], entry["result_snippet"]) == ("shell", "ok", "done")
    note = entry["args"][tool_audit.NOTE_KEY]
    assert list(entry["args"]) == [tool_audit.NOTE_KEY]
    assert note.startswith("args not recorded (args: is ") and "at most 1048576 are accepted" in note
    assert "hunter2" not in json.dumps(entry) and "rm -rf" not in json.dumps(entry)
    # Args that are no JSON object, or cannot be encoded, likewise.
    for args, why in [(["x"], "must be a JSON object"), ({"s": {1}}, "cannot be encoded as JSON"), ({"s": "\ud800"}, "not valid UTF-8")]:
        entry = record_now("mallory", "shell", args, "ok", "done")
        assert why in entry["args"][tool_audit.NOTE_KEY]
    # A refusal inside the args, whose reason quotes the value: where only.
    entry = record_now("mallory", "shell", '{"pin": 123456789012345678901234567890}', "ok")
    assert entry["args"] == {tool_audit.NOTE_KEY: "args not recorded (args.pin was refused)"}
    assert "audit log write failed" not in caplog.text
    assert auditlog.AuditLog(root).verify()["ok"]


def test_a_call_whose_result_is_refused_is_recorded_with_a_note(tmp_path):
    tool_audit.configure(tmp_path / "home", memory_limit_mb=64)
    try:
        entry = record_now("mallory", "shell", {"cmd": "cat /dev/zero"}, "ok", "z" * (80 << 20))
        assert entry["args"] == {"cmd": "cat /dev/zero"}
        assert entry["result_snippet"].startswith("[auditlog] result not recorded (83886080 characters: ")
        entry = record_now("mallory", "shell", {"cmd": "x"}, "ok", "bad \ud800")
        assert entry["result_snippet"] == "[auditlog] result not recorded (result: is not valid UTF-8 text)"
    finally:
        tool_audit.configure(None)


def test_a_bad_user_tool_or_status_is_still_refused_and_logged(root, caplog):
    with caplog.at_level(logging.WARNING, logger="auditlog.tool_audit"):
        asyncio.run(tool_audit.record("alice", "t", {}, "maybe"))
        asyncio.run(tool_audit.record("alice", "bad tool", {}, "ok"))
    assert "status: must be one of ok, error, denied" in caplog.text
    assert "tool: " in caplog.text
    assert snapshot(root) == {}


def test_configure_refuses_an_unknown_setting_at_once(root):
    with pytest.raises(TypeError, match="max_day"):
        tool_audit.configure(root, max_day=3)
    tool_audit.configure(root, max_days=3)


def test_reads_create_nothing(tmp_path, monkeypatch):
    # As the seed's: no root yet, nothing recorded, an empty answer.
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("AUDITLOG_DIR", raising=False)
    tool_audit.configure(None)
    assert tool_audit.read_recent("alice") == []
    assert tool_audit.read_recent_all_users(days=1, limit=1) == []
    # Its arguments are checked all the same.
    with pytest.raises(auditlog.InvalidInput) as refused:
        tool_audit.read_recent("../x")
    assert refused.value.field == "user"
    with pytest.raises(auditlog.InvalidInput):
        tool_audit.read_recent("alice", days=0)
    assert list(tmp_path.iterdir()) == []


# -- Betty's audit_log.py ----------------------------------------------------


def run_seed(command, args, log_dir):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUDITLOG_")}
    env["AUDITLOG_DIR"] = str(log_dir)
    done = subprocess.run([*command, *args], capture_output=True, env=env, timeout=120)
    return done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")


def comparable(response):
    """A response without what differs between two runs: times, links, paths."""
    text = json.dumps(response)
    for entry in [response.get("details", {}).get("audit_entry")]:
        if entry:
            text = text.replace(entry["timestamp"], "T").replace(entry["hash"], "H")
    return json.loads(text.replace(json.dumps(response["path"])[1:-1], "PATH"))


COMMANDS = {
    "console script": [str(Path(sys.executable).parent / "audit_log")],
    "python -m": [sys.executable, "-m", "auditlog.audit_log"],
}


@pytest.mark.parametrize("how", sorted(COMMANDS))
def test_as_a_command_it_answers_as_auditlog_record(tmp_path, how):
    refused = [["s"], ["s", "success", "soon"], ["s", "success", "1", "not json"], ["s", "success", "1", "[]", "[]"],
               ["", "success"], ["a", "b", "1", "[]", "{}", "extra"]]
    for args in SEED_EXAMPLES + refused:
        mine = run_seed(COMMANDS[how], args, tmp_path / "mine")
        cli = run_cli(tmp_path / "cli", "record", *args)
        assert mine[0] == cli[0], (args, mine, cli)
        if cli[1]:
            assert comparable(json.loads(mine[1])) == comparable(json.loads(cli[1])), args
    entries = json.loads((tmp_path / "mine" / "audit_log.json").read_text())
    assert [e["skill"] for e in entries] == [args[0] for args in SEED_EXAMPLES]


@pytest.mark.parametrize("item", [150, None, b"150"])
def test_an_argument_that_is_not_a_str_is_a_usage_error(tmp_path, monkeypatch, capsys, item):
    monkeypatch.setenv("AUDITLOG_DIR", str(tmp_path / "audit"))
    assert audit_log.main(["workflow.validate", "success", item]) == 2
    err = capsys.readouterr().err
    assert "every argument must be a str" in err and audit_log.USAGE in err
    assert not (tmp_path / "audit").exists()


def test_in_process_with_stdout_in_a_stringio(tmp_path, monkeypatch):
    # As betty.skill_executor.execute_skill_in_process: argv set, stdout
    # captured in a StringIO, the handler's main() called, its code returned.
    monkeypatch.setenv("AUDITLOG_DIR", str(tmp_path / "audit"))
    for n, args in enumerate(SEED_EXAMPLES, 1):
        captured = io.StringIO()
        old_stdout, old_argv = sys.stdout, sys.argv
        sys.stdout, sys.argv = captured, ["audit_log.py", *args]
        try:
            code = audit_log.main()
        finally:
            sys.stdout, sys.argv = old_stdout, old_argv
        assert code == 0
        response = json.loads(captured.getvalue())
        assert response["ok"] is True and response["details"]["total_entries"] == n
        assert response["details"]["audit_entry"]["skill"] == args[0]
    stored = json.loads((tmp_path / "audit" / "audit_log.json").read_text())
    assert len(stored) == len(SEED_EXAMPLES)

    # ... and run as a module in-process: the code comes back as SystemExit.
    monkeypatch.delitem(sys.modules, "auditlog.audit_log")
    captured = io.StringIO()
    old_stdout, old_argv = sys.stdout, sys.argv
    sys.stdout, sys.argv = captured, ["audit_log.py", "workflow.compose", "maybe", "-5"]
    try:
        with pytest.raises(SystemExit) as exited:
            runpy.run_module("auditlog.audit_log", run_name="__main__")
    finally:
        sys.stdout, sys.argv = old_stdout, old_argv
    assert exited.value.code == 2
    response = json.loads(captured.getvalue())
    assert response["ok"] is False and response["details"]["error"]["details"]["field"] == "duration_ms"
    assert len(json.loads((tmp_path / "audit" / "audit_log.json").read_text())) == len(SEED_EXAMPLES)


def test_without_stdout_and_stderr_it_records_and_returns_its_code(tmp_path, monkeypatch):
    # Under pythonw, or a service with its streams closed, sys.stdout and
    # sys.stderr are None: print() then writes nothing, as the seed's does,
    # and main() must not raise once the entry is written.
    monkeypatch.setenv("AUDITLOG_DIR", str(tmp_path / "audit"))
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    assert audit_log.main(["workflow.validate", "success", "150"]) == 0
    assert audit_log.main(["workflow.validate", "Bad"]) == 2
    assert audit_log.main(["workflow.validate"]) == 2
    stored = json.loads((tmp_path / "audit" / "audit_log.json").read_text())
    assert [e["status"] for e in stored] == ["success"]


def test_the_wasm_loaders_audit_log_py_also_writes_to_a_stringio(tmp_path):
    # python/audit_log.py (on the portable component through wasmtime-py)
    # had the same bug; run it in-process in the runtimes' venv, which has
    # wasmtime-py.
    python = REPO / "target" / "runtimes" / "venv" / "bin" / "python"
    component = os.environ.get("AUDITLOG_COMPONENT", "")
    if not (python.is_file() and component and Path(component).is_file()):
        pytest.skip("needs target/runtimes/venv (tests/setup-runtimes.sh) and AUDITLOG_COMPONENT")
    script = (
        "import io, json, sys\n"
        f"sys.path.insert(0, {str(REPO / 'python')!r})\n"
        "import audit_log\n"
        "out, sys.stdout = sys.stdout, io.StringIO()\n"
        "sys.argv = ['audit_log.py', 'my.skill', 'success', '1234', '[]', '{\"key\": \"value\"}']\n"
        "code = audit_log.main()\n"
        "text, sys.stdout = sys.stdout.getvalue(), out\n"
        "print(json.dumps({'code': code, 'response': json.loads(text)}))\n"
    )
    env = dict(os.environ, AUDITLOG_DIR=str(tmp_path / "audit"), AUDITLOG_COMPONENT=component)
    done = subprocess.run([str(python), "-c", script], capture_output=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr.decode()
    result = json.loads(done.stdout)
    assert result["code"] == 0 and result["response"]["ok"] is True
    assert json.loads((tmp_path / "audit" / "audit_log.json").read_text())[0]["skill"] == "my.skill"
