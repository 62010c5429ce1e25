"""python/audit_log.py: the seed's `audit_log.py` command line on the component.

Same arguments, same response JSON and exit codes as the seed's design note and
`auditlog record`: run as a script for the seed's examples and the exit codes,
in-process (`main(argv)`) for the table of refused inputs.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import audit_log
from conftest import PYTHON_DIR, host_cli

SCRIPT = PYTHON_DIR / "audit_log.py"


@pytest.fixture
def env(component_path, log_dir):
    """The script's environment: the component and a log directory."""
    environ = dict(os.environ)  # includes the session's AUDITLOG_CACHE_DIR
    environ.update(AUDITLOG_COMPONENT=str(component_path), AUDITLOG_DIR=str(log_dir))
    return environ


def run(args, env, cwd=None):
    """Runs the script; returns (exit status, parsed stdout or None, stdout, stderr)."""
    done = subprocess.run(
        [sys.executable, str(SCRIPT), *args], env=env, cwd=cwd, capture_output=True, timeout=60
    )
    out, err = done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
    return done.returncode, (json.loads(out) if out else None), out, err


def test_seed_examples(env, log_dir):
    examples = [
        ["workflow.validate", "success", "150"],
        ["workflow.compose", "failed", "5000", '["Step 3 failed", "Timeout occurred"]'],
        ["api.validate", "success", "250", "[]", '{"api": "users.yaml", "endpoints": 12}'],
        ["registry.update", "success", "", "[]", json.dumps({"skill": "api.validate", "action": "update"})],
    ]
    path = str(log_dir / "audit_log.json")
    responses = []
    for n, args in enumerate(examples, 1):
        code, response, out, err = run(args, env)
        assert (code, err) == (0, "")
        assert out == json.dumps(response, indent=2, ensure_ascii=False) + "\n"  # pretty, 2 spaces
        assert list(response) == ["ok", "status", "errors", "path", "details"]
        assert response["ok"] is True and response["status"] == "success" and response["errors"] == []
        assert response["path"] == path
        details = response["details"]
        assert list(details) == ["status", "audit_entry", "audit_log_path", "total_entries"]
        assert details["status"] == "success"
        assert details["audit_log_path"] == path and details["total_entries"] == n
        responses.append(details["audit_entry"])

    assert json.loads(Path(path).read_text("utf-8")) == responses
    first, second, third, fourth = responses
    assert list(first) == ["timestamp", "skill", "status", "duration_ms", "seq", "hash"]
    assert (first["skill"], first["status"], first["duration_ms"]) == ("workflow.validate", "success", 150)
    assert second["errors"] == ["Step 3 failed", "Timeout occurred"]
    assert third["metadata"] == {"api": "users.yaml", "endpoints": 12} and third["errors"] == []
    assert "duration_ms" not in fourth  # "" leaves it out
    assert [e["seq"] for e in responses] == [1, 2, 3, 4]


def test_refused_input_exits_2_with_the_seed_failure_json(env, log_dir):
    code, response, _, err = run(["workflow.validate", "BAD", "150"], env)
    assert code == 2
    message = response["errors"][0]
    assert message.startswith("status: must be a lowercase word")
    assert response == {
        "ok": False,
        "status": "failed",
        "errors": [message],
        "path": str(log_dir / "audit_log.json"),
        "details": {
            "error": {"error": "SkillValidationError", "message": message, "details": {"field": "status"}}
        },
    }
    assert err == f"audit_log.py: {message}\n"
    assert not (log_dir / "audit_log.json").exists()


def test_other_failures_exit_1(env, tmp_path):
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("")
    code, response, _, err = run(["a", "success"], {**env, "AUDITLOG_DIR": str(not_a_dir)})
    assert code == 1 and response["ok"] is False
    assert response["details"]["error"]["error"] == "AuditLogError"
    assert response["details"]["error"]["details"] == {}
    assert err.startswith("audit_log.py: cannot open log directory ")

    code, response, _, _ = run(["a", "success"], {**env, "AUDITLOG_COMPONENT": str(tmp_path / "none.wasm")})
    assert code == 1 and response["ok"] is False
    assert "cannot load the component" in response["errors"][0]


@pytest.mark.parametrize("args", [[], ["only-skill"], ["a", "b", "1", "[]", "{}", "extra"]])
def test_wrong_argument_count_prints_usage(env, log_dir, args):
    code, response, _, err = run(args, env)
    assert code == 2 and response is None
    assert "usage: audit_log.py SKILL STATUS [DURATION_MS] [ERRORS_JSON] [METADATA_JSON]" in err
    assert not log_dir.exists()


def test_default_directory_is_audit(env, tmp_path):
    del env["AUDITLOG_DIR"]
    code, response, _, _ = run(["a", "success"], env, cwd=tmp_path)
    assert code == 0 and response["path"] == str(tmp_path / "audit" / "audit_log.json")


def test_repairs_are_reported(env, log_dir):
    assert run(["a", "success"], env)[0] == 0
    path = log_dir / "audit_log.json"
    path.write_bytes(path.read_bytes()[:-3] + b',\n  {"tor')
    code, response, _, err = run(["b", "success"], env)
    assert code == 0
    [repair] = response["details"]["recovered"]
    assert repair["moved_to"] == ".damaged.audit_log.1"
    assert err == f"audit_log.py: {repair['notice']}\n"


REFUSED = [
    (["a", "success", "abc"], "duration_ms"),
    (["a", "success", "-1"], "duration_ms"),
    (["a", "success", "1.5"], "duration_ms"),
    (["a", "success", "99999999999999999999"], "duration_ms"),
    (["a", "success", "٣"], "duration_ms"),  # a digit, but not an ASCII one
    (["a", "success", "1", "nope"], "errors"),
    (["a", "success", "1", '{"e": 1}'], "errors"),
    (["a", "success", "1", "[1]"], "errors"),
    (["a", "success", "1", "[]", "[1]"], "metadata"),
    (["a", "success", "1", "[]", "{bad"], "metadata"),
    (["../a", "success"], "skill"),
    (["a", ""], "status"),
]


@pytest.mark.parametrize("args,field", REFUSED)
def test_refused_arguments(component_path, log_dir, monkeypatch, capsys, snapshot, args, field):
    monkeypatch.setenv("AUDITLOG_COMPONENT", str(component_path))
    monkeypatch.setenv("AUDITLOG_DIR", str(log_dir))
    assert audit_log.main(["before", "success"]) == 0
    before = snapshot(log_dir)
    capsys.readouterr()

    assert audit_log.main(args) == 2
    out, err = capsys.readouterr()
    response = json.loads(out)
    assert response["ok"] is False and response["status"] == "failed"
    assert response["details"]["error"]["error"] == "SkillValidationError"
    assert response["details"]["error"]["details"] == {"field": field}
    assert response["errors"] == [response["details"]["error"]["message"]]
    assert response["errors"][0].startswith(f"{field}: ")
    assert err == f"audit_log.py: {response['errors'][0]}\n"
    assert snapshot(log_dir) == before


def test_accepts_what_auditlog_record_accepts(component_path, log_dir, monkeypatch, capsys):
    monkeypatch.setenv("AUDITLOG_COMPONENT", str(component_path))
    monkeypatch.setenv("AUDITLOG_DIR", str(log_dir))
    for args, duration in [(["a", "ok", " +7 "], 7), (["a", "ok", "007"], 7), (["a", "ok", "", "", ""], None)]:
        assert audit_log.main(args) == 0
        entry = json.loads(capsys.readouterr().out)["details"]["audit_entry"]
        assert entry.get("duration_ms") == duration
    assert audit_log.main(["a", "ok", "--max-entries", "2"]) == 0
    assert json.loads(capsys.readouterr().out)["details"]["total_entries"] == 2


@pytest.mark.skipif(host_cli() is None, reason="no auditlog binary (set AUDITLOG_BIN or build target/debug)")
@pytest.mark.parametrize(
    "args",
    [
        ["workflow.compose", "failed", "5000", '["Step 3 failed", "Timeout occurred"]'],
        ["api.validate", "success", "", "[]", '{"api": "users.yaml", "ü": "é", "password": "x"}'],
        ["x", "BAD"],
        ["x", "success", "abc"],
        ["x", "success", "1", "[]", "[1]"],
        ["-x", "success"],
        ["s.x", "-1"],
    ],
)
def test_same_response_as_auditlog_record(env, tmp_path, args):
    def normal(text, directory):
        text = re.sub(r'"timestamp": "[^"]*"', '"timestamp": T', text)
        text = re.sub(r'"hash": "[0-9a-f]*"', '"hash": H', text)
        return text.replace(str(directory), "DIR")

    ours = run(args, {**env, "AUDITLOG_DIR": str(tmp_path / "py")})
    host = subprocess.run(
        [host_cli(), "--dir", str(tmp_path / "rs"), "record", *args],
        env=env, capture_output=True, timeout=60,
    )
    assert ours[0] == host.returncode
    assert normal(ours[2], tmp_path / "py") == normal(host.stdout.decode("utf-8"), tmp_path / "rs")
