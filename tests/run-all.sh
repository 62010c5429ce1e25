#!/usr/bin/env bash
# Runs every test, setting up what they need first (README: "Run the tests"):
#   - the component's unit and property tests, natively;
#   - the end-to-end tests of the auditlog CLI, library and HTTP API, of
#     run-skill with the sample skill, and of the portable component under the
#     stock wasmtime CLI;
#   - a fleet: rsyslog senders shipping two machines' logs over RELP to a
#     collector and PostgreSQL, verified and queried centrally (tests/fleet/;
#     Debian's packages installed by tests/setup-fleet.sh; needs root);
#   - the Python loader's tests (wasmtime-py), the Node wrapper's (jco), the Node
#     package as `npm pack` makes it, installed into an empty folder, and the
#     parity test: the same calls through all four hosts store the same entries;
#   - the admin console in headless Chromium (Selenium).
# The other runtimes are installed into target/runtimes/ by tests/setup-runtimes.sh,
# Chromium and its driver (Debian's packages) and Selenium by tests/setup-browser.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "set-up"
rustup target add wasm32-wasip2
bash tests/setup-runtimes.sh

step "Rust: unit, property and end-to-end tests"
cargo test --workspace --locked

# The portable component, as `auditlog component --portable` writes it (the
# wrappers and their builds take it from AUDITLOG_COMPONENT), and the CLI the
# Python and Node tests compare with.
portable="$PWD/target/runtimes/auditlog-portable.wasm"
target/debug/auditlog component --portable --out "$portable"
export AUDITLOG_COMPONENT="$portable"
export AUDITLOG_BIN="$PWD/target/debug/auditlog"

step "Node: the component transpiled by jco"
(cd js && npm run --silent build)
node --test tests/js/

step "Node: npm pack, installed into an empty folder"
bash tests/npm-pack.sh

step "Python: the wasmtime-py loader, the seed-compatible CLI, parity of the four hosts"
target/runtimes/venv/bin/python -m pytest -q -p no:cacheprovider tests/python

step "Python: the auditlog package (maturin wheel, installed into a fresh venv)"
bash tests/python-package.sh

step "Browser: the admin console in headless Chromium (Selenium)"
bash tests/setup-browser.sh
(cd tests/browser && timeout 900 ../../target/runtimes/browser-venv/bin/python -m pytest -q -p no:cacheprovider)

step "Fleet: rsyslog, RELP, a central verify and PostgreSQL"
bash tests/setup-fleet.sh
target/runtimes/venv/bin/python -m pytest -q -p no:cacheprovider tests/fleet
