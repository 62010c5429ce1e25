#!/usr/bin/env bash
# Installs what the fleet test (tests/fleet/) drives, from Debian's archive:
#   rsyslog, rsyslog-relp   the sender and collector daemons (imfile, omrelp, imrelp)
#   rsyslog-pgsql           ompgsql, the collector's PostgreSQL output
#   postgresql              the central SQL store (binaries in /usr/lib/postgresql/<v>/bin)
# Nothing is started or enabled here: the test starts every daemon itself, with its
# own configuration, directories and loopback ports, and stops it by its pid.
# Idempotent; needs root (or sudo) and access to the Debian mirror.
set -euo pipefail

packages=(rsyslog rsyslog-relp rsyslog-pgsql postgresql)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
# policy-rc.d refuses service starts during installation: the packages' own
# daemons must not run (the test runs its own, and CI has no init).
policy=/usr/sbin/policy-rc.d
made_policy=
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | "${as_root[@]}" tee "$policy" >/dev/null
    "${as_root[@]}" chmod +x "$policy"
    made_policy=1
fi
trap '[ -z "$made_policy" ] || "${as_root[@]}" rm -f "$policy"' EXIT

"${as_root[@]}" apt-get update -q
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q \
    --no-install-recommends "${missing[@]}"
