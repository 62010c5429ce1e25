"""Shared set-up for the Python loader's tests.

The tests run the portable component named by ``AUDITLOG_COMPONENT``
(``auditlog component --portable --out FILE``, or the guest built with
``--features portable``); without it the run stops with a message rather than
skipping. The component is compiled once per session and kept in
session-wide cache directories, which the CLI's subprocesses share.
"""

import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PYTHON_DIR = REPO / "python"
sys.path.insert(0, str(PYTHON_DIR))

ENV = "AUDITLOG_COMPONENT"


def _component() -> Path:
    value = os.environ.get(ENV, "")
    hint = (
        f"set {ENV} to the portable auditlog component, e.g.\n"
        f"  target/debug/auditlog component --portable --out /tmp/auditlog-portable.wasm\n"
        f"  {ENV}=/tmp/auditlog-portable.wasm python -m pytest tests/python"
    )
    if not value:
        raise pytest.UsageError(f"{ENV} is not set: {hint}")
    path = Path(value).resolve()
    if not path.is_file():
        raise pytest.UsageError(f"{ENV}={value}: no such file: {hint}")
    return path


def pytest_configure(config):
    config.auditlog_component = _component()


@pytest.fixture(scope="session")
def component_path(pytestconfig, tmp_path_factory):
    """The component's path, compiled once; the compiled forms are cached in
    session directories that the CLI's subprocesses share: the Rust host's
    (``AUDITLOG_CACHE_DIR``) and wasmtime-py's (wasmtime's own cache, under
    ``XDG_CACHE_HOME``)."""
    import auditlog_wasm

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AUDITLOG_CACHE_DIR", str(tmp_path_factory.mktemp("compiled")))
        mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
        auditlog_wasm.load_component(pytestconfig.auditlog_component)
        yield pytestconfig.auditlog_component


@pytest.fixture
def log_dir(tmp_path):
    return tmp_path / "audit"


@pytest.fixture
def log(component_path, log_dir):
    import auditlog_wasm

    with auditlog_wasm.AuditLog(log_dir, component_path) as log:
        yield log


def host_cli():
    """The Rust `auditlog` CLI to compare with: $AUDITLOG_BIN, else
    target/debug/auditlog; None when there is none (those tests then skip)."""
    candidate = os.environ.get("AUDITLOG_BIN") or str(REPO / "target" / "debug" / "auditlog")
    return candidate if os.access(candidate, os.X_OK) else None


@pytest.fixture
def snapshot():
    """A function: every file and directory under a path, with its bytes."""

    def take(directory: Path) -> dict:
        if not directory.exists():
            return {}
        return {
            str(p.relative_to(directory)): (p.read_bytes() if p.is_file() else None)
            for p in sorted(directory.rglob("*"))
        }

    return take
