"""Shared set-up for the tests of the installed ``auditlog`` package.

tests/python-package.sh installs the wheel into a fresh virtual environment
and runs these tests with its pytest from outside the source tree: ``import
auditlog`` must find the installed package, never python/ (checked here, for
every test). ``AUDITLOG_BIN`` names the ``auditlog`` CLI the results are
compared with (default target/debug/auditlog).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

import auditlog  # noqa: E402  (after REPO, to say where it must not come from)


def pytest_configure(config):
    installed = Path(auditlog.__file__).resolve()
    if REPO / "python" in installed.parents:
        raise pytest.UsageError(f"auditlog was imported from the source tree ({installed}), not installed")
    if Path(sys.prefix).resolve() not in installed.parents:
        raise pytest.UsageError(f"auditlog ({installed}) is not installed in this environment ({sys.prefix})")


def cli_path() -> Path:
    path = Path(os.environ.get("AUDITLOG_BIN") or REPO / "target" / "debug" / "auditlog")
    if not path.is_file():
        raise pytest.UsageError(f"no auditlog CLI at {path}: build it (cargo build) or set AUDITLOG_BIN")
    return path


@pytest.fixture
def log_dir(tmp_path):
    """A log directory that does not exist yet."""
    return tmp_path / "audit"


def run_cli(log_dir, *args, env=None):
    """Runs ``auditlog --dir LOG_DIR ARGS``; returns (exit status, stdout, stderr)."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("AUDITLOG_")}
    environ.update(env or {})
    done = subprocess.run(
        [str(cli_path()), "--dir", str(log_dir), *args],
        capture_output=True,
        env=environ,
        timeout=120,
    )
    return done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")


def cli_json(log_dir, *args, env=None):
    """The JSON ``auditlog ARGS`` prints, failing on a non-zero exit."""
    code, out, err = run_cli(log_dir, *args, env=env)
    assert code == 0, err
    return json.loads(out)


def snapshot(directory):
    """Every file under ``directory`` with its bytes (``{}`` if it is missing)."""
    root = Path(directory)
    if not root.exists():
        return {}
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
