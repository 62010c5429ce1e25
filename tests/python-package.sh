#!/usr/bin/env bash
# The Python package (python/: `pip install ./python`), tested as installed:
#   1. builds its wheel once with maturin, in the dev profile and the
#      workspace's target directory, so the host library and wasmtime are the
#      ones `cargo test` already built (only the PyO3 crate is compiled);
#   2. creates a fresh virtual environment, target/runtimes/pkg-venv (anew
#      each run), and installs the wheel and pytest into it;
#   3. runs tests/python_package/ with that environment's pytest, from a
#      directory outside the source tree, so `import auditlog` can only find
#      the installed package (the tests assert it).
# Called by tests/run-all.sh (which exports AUDITLOG_BIN); runs alone too.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

tools=target/runtimes/venv
if [ ! -x "$tools/bin/python" ]; then
    python3 -m venv "$tools"
fi
if [ ! -x "$tools/bin/maturin" ]; then
    "$tools/bin/pip" install --quiet --disable-pip-version-check 'maturin>=1.9.4,<2'
fi

wheels=target/python-wheels
rm -rf "$wheels"
mkdir -p "$wheels"
"$tools/bin/maturin" build --profile dev --manifest-path python/Cargo.toml --out "$wheels" 2>&1 | tee "$wheels/build.log"
# After `cargo test`, wasmtime must not compile again here (PyO3, this crate
# and, when the workspace's features unify differently, the host may).
if grep -E '^ *Compiling (wasmtime|cranelift)' "$wheels/build.log"; then
    echo "note: the wheel's build compiled wasmtime again: it did not share cargo test's build" >&2
fi
wheel=$(ls "$wheels"/auditlog-*.whl)
echo "built $wheel"

venv=target/runtimes/pkg-venv
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "$wheel" -r tests/python_package/requirements.txt

export AUDITLOG_BIN="${AUDITLOG_BIN:-$repo/target/debug/auditlog}"
export AUDITLOG_PACKAGE_VENV="$repo/$venv"
cd "$(mktemp -d)"
"$repo/$venv/bin/pytest" -q -p no:cacheprovider --rootdir "$repo/tests/python_package" "$repo/tests/python_package"
