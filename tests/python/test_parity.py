"""Parity: one scripted sequence of calls through the four hosts — the Rust
``auditlog`` CLI, the stock wasmtime CLI running the portable component, the
Python loader and the Node wrapper — stores the same entries, timestamps (and
the links computed over them) aside."""

import json
import os
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, host_cli
from auditlog_wasm import AuditLog

CALLS = [
    {"op": "record", "skill": "workflow.validate", "status": "success", "duration_ms": 150},
    {
        "op": "record",
        "skill": "workflow.compose",
        "status": "failed",
        "duration_ms": 5000,
        "errors": ["Step 3 failed", "Timeout occurred"],
        "metadata": {"steps": 5, "api_key": "sk-secret", "note": "é" * 40},
    },
    {
        "op": "tool",
        "user": "alice",
        "tool": "file_read",
        "status": "ok",
        "args": {"path": "a.txt", "text": "x" * 600, "password": "hunter2", "nested": [{"token": "t"}]},
        "result": "hello " * 100,
    },
    {"op": "tool", "user": "bob", "tool": "search", "status": "error", "args": {}, "result": ""},
    {"op": "record", "skill": "deploy.run", "status": "timeout"},
]


def cli_args(call):
    """The call as `auditlog` command-line arguments."""
    if call["op"] == "record":
        args = ["record", call["skill"], call["status"], str(call.get("duration_ms", ""))]
        if "errors" in call or "metadata" in call:
            args += [json.dumps(call.get("errors", [])), json.dumps(call.get("metadata", {}))]
        return args
    return [
        "tool", "--user", call["user"], "--tool", call["tool"], "--status", call["status"],
        "--args", json.dumps(call["args"]), "--result", call["result"],
    ]


def rust_host(directory: Path, _component: Path):
    binary = host_cli()
    assert binary, "the auditlog CLI is needed: build it, or set AUDITLOG_BIN"
    for call in CALLS:
        subprocess.run([binary, "--dir", str(directory), *cli_args(call)], check=True, capture_output=True)


def wasmtime_cli(directory: Path, component: Path):
    wasmtime = os.environ.get("AUDITLOG_WASMTIME") or str(REPO / "target" / "runtimes" / "bin" / "wasmtime")
    assert Path(wasmtime).exists(), f"no wasmtime CLI at {wasmtime}: run tests/setup-runtimes.sh"
    directory.mkdir(parents=True, exist_ok=True)
    for call in CALLS:
        subprocess.run(
            [wasmtime, "run", "--dir", f"{directory}::/", str(component), *cli_args(call)],
            check=True,
            capture_output=True,
        )


def python(directory: Path, component: Path):
    log = AuditLog(directory, component)
    for call in CALLS:
        if call["op"] == "record":
            log.record(call["skill"], call["status"], call.get("duration_ms"), call.get("errors"), call.get("metadata"))
        else:
            log.tool(call["user"], call["tool"], call["status"], call["args"], call["result"])


def node(directory: Path, _component: Path):
    assert (REPO / "js" / "dist").exists(), "build the Node wrapper first: (cd js && npm run build)"
    directory.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["node", str(REPO / "tests" / "parity" / "node_driver.mjs"), str(directory), json.dumps(CALLS)],
        check=True,
        capture_output=True,
    )


def stored(directory: Path):
    """Every stored entry, by file, without its time and links."""
    def timeless(entry):
        return {k: v for k, v in entry.items() if k not in ("timestamp", "ts", "hash", "mac")}

    logs = {"audit_log.json": [timeless(e) for e in json.loads((directory / "audit_log.json").read_text())]}
    for day_file in sorted(directory.glob("*/tool_audit/*.jsonl")):
        name = f"{day_file.parent.parent.name}/tool_audit"
        logs[name] = [timeless(json.loads(line)) for line in day_file.read_text().splitlines()]
    return logs


def test_four_hosts_store_the_same_entries(tmp_path, component_path):
    results = {}
    for host in (rust_host, wasmtime_cli, python, node):
        directory = tmp_path / host.__name__
        host(directory, component_path)
        results[host.__name__] = stored(directory)
    reference = results["rust_host"]
    assert len(reference["audit_log.json"]) == 3
    assert set(reference) == {"audit_log.json", "alice/tool_audit", "bob/tool_audit"}
    for name, logs in results.items():
        assert logs == reference, f"{name} stored other entries than the Rust host"
