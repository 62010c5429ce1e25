#!/usr/bin/env python3
"""Drops the lines a collector wrote twice from central copies, leaving each
file byte for byte what its machine wrote.

RELP delivers at least once: a sender killed (kill -9, a crash, power loss)
between handing a line to RELP and saving imfile's state resends that line
when it starts again, and the collector appends it to the same file a second
time. `auditlog verify` on the copy names such a line ("comes after seq N: it
repeats line K (the same entry, seq M): delivered twice"). This script
removes exactly those repeats and nothing else: a line is dropped only if it
is byte for byte an earlier line of the same file and is a sealed entry (a
JSON object with a top-level integer "seq": every sealed entry has its own
seq and a link over the entry before it, so two equal sealed lines are one
entry delivered twice). It never writes a line of its own, never touches a
legacy (unsealed) line, and leaves compressed files alone. Afterwards, run
`auditlog verify` on the copy again: it proves the result.

Run it only while the collector is stopped (senders wait and retry while it
is down; nothing is lost): the collector keeps its files open, and a line it
appends while a file is rewritten would be lost. Give its pid file with
--collector-pid-file: the script refuses to run while that process lives.

    drop_redelivered.py --collector-pid-file /run/auditlog-collector.pid /srv/audit/web-1

Exit status: 0 done (each dropped line printed), 1 a file could not be
rewritten, 2 refused (the collector runs, or bad arguments).
"""

import argparse
import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path


def sealed_seq(line: bytes):
    """The top-level integer "seq" of a sealed entry line, else None."""
    try:
        entry = json.loads(line)
    except ValueError:
        return None
    seq = entry.get("seq") if isinstance(entry, dict) else None
    return seq if isinstance(seq, int) and not isinstance(seq, bool) else None


def without_repeats(data: bytes):
    """(data without repeated sealed lines, [(line, first line, seq)] dropped)."""
    kept, dropped, first = [], [], {}  # first: {SHA-256 of a sealed line: its number}
    for number, line in enumerate(data.splitlines(keepends=True), 1):
        digest = hashlib.sha256(line).digest()
        if line.endswith(b"\n") and digest in first:
            dropped.append((number, first[digest], sealed_seq(line)))
            continue
        if line.endswith(b"\n") and sealed_seq(line) is not None:
            first[digest] = number
        kept.append(line)
    return b"".join(kept), dropped


def rewrite(path: Path, data: bytes) -> None:
    """Replaces path's contents with data: a temporary file beside it,
    flushed, then renamed over it (its mode and, as root, owner kept)."""
    stat = path.stat()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if os.geteuid() == 0:
            os.chown(tmp, stat.st_uid, stat.st_gid)
        os.chmod(tmp, stat.st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def collector_running(pid_file: Path) -> bool:
    try:
        pid = int(pid_file.read_text().split()[0])
    except (FileNotFoundError, IndexError, ValueError):
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--collector-pid-file", type=Path, required=True,
                        help="the collector's pid file (rsyslogd -i): refused while it runs")
    parser.add_argument("dirs", nargs="+", type=Path, metavar="HOST_DIR",
                        help="a central copy, <central>/<host>")
    args = parser.parse_args(argv)
    if collector_running(args.collector_pid_file):
        print(f"drop_redelivered: the collector ({args.collector_pid_file}) is running: "
              "stop it first", file=sys.stderr)
        return 2
    status = 0
    for host_dir in args.dirs:
        if not host_dir.is_dir():
            print(f"drop_redelivered: {host_dir}: not a directory", file=sys.stderr)
            return 2
        for path in sorted(host_dir.glob("*/tool_audit/*.jsonl")):
            data = path.read_bytes()
            kept, dropped = without_repeats(data)
            if not dropped:
                continue
            try:
                rewrite(path, kept)
            except OSError as e:
                print(f"drop_redelivered: {path}: {e}", file=sys.stderr)
                status = 1
                continue
            for number, first, seq in dropped:
                print(f"{path} line {number}: repeats line {first} (seq {seq}): dropped")
    return status


if __name__ == "__main__":
    sys.exit(main())
