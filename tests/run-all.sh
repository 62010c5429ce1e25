#!/usr/bin/env bash
# Runs every test, setting up what they need first (README: "Run the tests"):
#   - the component's unit and property tests, natively;
#   - the end-to-end tests of the auditlog CLI, library and HTTP API, of
#     run-skill with the sample skill, and of the portable component under the
#     stock wasmtime CLI.
# The other runtimes are installed into target/runtimes/ by tests/setup-runtimes.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "set-up"
rustup target add wasm32-wasip2
bash tests/setup-runtimes.sh

step "Rust: unit, property and end-to-end tests"
cargo test --workspace --locked
