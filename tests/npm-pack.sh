#!/usr/bin/env bash
# The Node package as a user gets it: `npm pack` in js/ (its prepack builds the
# component into dist/), the tarball installed into an empty folder, and from
# there tests/js/installed/package.check.mjs records and reads back and
# tests/js/installed/typings.check.mts compiles (tsc --strict) against the
# installed package's typings.
# Uses $AUDITLOG_COMPONENT when set (else js/build.mjs builds the component with
# cargo) and js/node_modules (`npm ci` in js/, as tests/setup-runtimes.sh does;
# its typescript compiles the check).
# Removes its temporary folders; each step is bounded in time.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d "${TMPDIR:-/tmp}/auditlog-npm-pack.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/pack" "$work/app"

if ! (cd js && timeout 900 npm pack --silent --pack-destination "$work/pack" >/dev/null); then
    echo "npm-pack: npm pack in js/ failed (above)" >&2
    exit 1
fi
tarballs=("$work"/pack/*.tgz)
if [ "${#tarballs[@]}" -ne 1 ] || [ ! -f "${tarballs[0]}" ]; then
    echo "npm-pack: expected one tarball from npm pack in js/, found: ${tarballs[*]}" >&2
    exit 1
fi
listing=$(tar -tzf "${tarballs[0]}")
if ! grep -qx 'package/dist/auditlog.js' <<<"$listing"; then
    echo "npm-pack: ${tarballs[0]##*/} has no dist/auditlog.js (is prepack building it?)" >&2
    exit 1
fi
for typings in package/auditlog.d.ts package/types/results.d.ts package/types/confined_filesystem.d.ts; do
    if ! grep -qx "$typings" <<<"$listing"; then
        echo "npm-pack: ${tarballs[0]##*/} has no ${typings#package/} (is it in package.json's files?)" >&2
        exit 1
    fi
done

# A package.json of its own, so that npm installs here and not into a parent folder.
printf '{ "name": "auditlog-pack-check", "private": true }\n' >"$work/app/package.json"
cp tests/js/installed/package.check.mjs tests/js/installed/typings.check.mts "$work/app/"
# What a strict TypeScript user compiles with; the package's .d.ts files are checked too.
cat >"$work/app/tsconfig.json" <<'JSON'
{
  "compilerOptions": {
    "strict": true,
    "noEmit": true,
    "module": "nodenext",
    "moduleResolution": "nodenext",
    "target": "es2022",
    "types": [],
    "skipLibCheck": false
  },
  "files": ["typings.check.mts"]
}
JSON
if ! (cd "$work/app" && timeout 300 npm install --silent --no-audit --no-fund --prefer-offline "${tarballs[0]}"); then
    echo "npm-pack: npm install of ${tarballs[0]##*/} into an empty folder failed (above)" >&2
    exit 1
fi

if ! (cd "$work/app" && timeout 120 node --test package.check.mjs); then
    echo "npm-pack: the package installed from ${tarballs[0]##*/} failed its check (above)" >&2
    exit 1
fi
tsc="$PWD/js/node_modules/typescript/bin/tsc"
if [ ! -f "$tsc" ]; then
    echo "npm-pack: $tsc is missing: run \`npm ci\` in js/" >&2
    exit 1
fi
if ! (cd "$work/app" && timeout 120 node "$tsc" -p .); then
    echo "npm-pack: typings.check.mts does not compile against the typings installed from ${tarballs[0]##*/} (above)" >&2
    exit 1
fi
echo "npm-pack: ${tarballs[0]##*/} installs into an empty folder, records and reads back, and its typings compile"
