#!/usr/bin/env bash
# Installs what the console's browser tests (tests/browser/) drive:
#   chromium and chromium-driver from Debian's packages (apt-get; run as root),
#   target/runtimes/browser-venv/  Python with selenium and pytest (from PyPI).
# Idempotent: apt-get runs only when chromium or its driver is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=600 update
    apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends chromium chromium-driver
fi
chromium --version
chromedriver --version

venv=target/runtimes/browser-venv
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check -r tests/browser/requirements.txt
