"""Many machines, one audit trail (README: "Running a fleet"), end to end.

Two machines (two log directories, each with its own rsyslog sender, running
fleet/rsyslog-sender.conf) and three users write while segments roll over
(max_file_bytes) and get compressed (compress, after compress_grace); a new
user starts half-way. While lines flow, beta's sender is stopped (SIGTERM)
and restarted, and later alpha's is killed (-9) and restarted. A central
rsyslog (fleet/rsyslog-collector.conf) writes every line to
<central>/<host>/<user>/tool_audit/<file> and into PostgreSQL
(fleet/sql/schema.sql). Then:

- beta's central copy holds, byte for byte, what beta wrote (compressed
  files read through): a graceful stop loses and repeats nothing;
- alpha's may hold lines delivered twice (RELP is at-least-once, and a kill
  can fall between sending a line and saving imfile's state): if so, verify
  names them as delivered twice, and fleet/drop_redelivered.py (collector
  stopped) leaves the copy byte for byte what alpha wrote;
- `auditlog verify` passes on each copy, against the machine's checkpoint,
  with the same entry count; the keyed machine's copy verifies with its key
  only;
- fleet/sql/stats.sql equals `auditlog stats`, fleet/sql/recent.sql equals
  `auditlog recent`, fleet/sql/gaps.sql finds no gap;
- a line deleted centrally is named by verify (file, seq), a line cut from
  the end by the checkpoint, a line changed by its link, lines repeated as
  delivered twice (and drop_redelivered.py undoes exactly that); a row
  deleted from SQL by gaps.sql.

Needs root, tests/setup-fleet.sh (rsyslog, rsyslog-relp, rsyslog-pgsql,
postgresql), the auditlog CLI ($AUDITLOG_BIN) and wasmtime-py (the writers
use python/auditlog_wasm.py with the portable component, $AUDITLOG_COMPONENT).
"""

import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from daemons import FLEET, Postgres, Rsyslog, free_port, wait_for

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "python"))
sys.path.insert(0, str(FLEET))
from auditlog_wasm import AuditLog  # noqa: E402
from drop_redelivered import without_repeats  # noqa: E402

AUDITLOG = os.environ.get("AUDITLOG_BIN", str(ROOT / "target/debug/auditlog"))
USERS = ["alice", "bob"]
LATE_USER = "carol"  # starts writing half-way: a new directory to pick up
ROUNDS = 60
GRACE = 8  # seconds a closed file stays plain: longer than the sender is down
KEY = b"fleet-test-chain-key-0123456789"

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("rsyslogd") is None,
    reason="needs root and tests/setup-fleet.sh",
)


def auditlog(*args, check=True, key=None):
    command = [AUDITLOG]
    if key:
        command += ["--key-file", key]
    result = subprocess.run(command + list(args), capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(f"auditlog {' '.join(args)}: {result.stderr}")
    return result


def component(root: Path) -> str:
    """$AUDITLOG_COMPONENT, else the portable component written into root
    (the test's own directory, removed with it)."""
    path = os.environ.get("AUDITLOG_COMPONENT")
    if path:
        return path
    out = root / "auditlog-portable.wasm"
    if not out.exists():
        auditlog("component", "--portable", "--out", str(out))
    return str(out)


def lines_of(tool_audit: Path) -> dict:
    """{file name without .gz: its bytes}, compressed files read through."""
    files = {}
    for path in sorted(tool_audit.iterdir()):
        if path.name.endswith(".jsonl"):
            files[path.name] = path.read_bytes()
        elif path.name.endswith(".jsonl.gz"):
            files[path.name[:-3]] = gzip.decompress(path.read_bytes())
    return files


def tree(log_dir: Path) -> dict:
    """{user: {file: bytes}} of a log directory."""
    return {
        user.name: lines_of(user / "tool_audit")
        for user in sorted(log_dir.iterdir())
        if (user / "tool_audit").is_dir()
    }


def differences(host: str, copy: dict, source: dict) -> str:
    """Which files differ, by the seqs they hold: lost, repeated or changed."""
    seqs = lambda data: [json.loads(line).get("seq") for line in data.splitlines()]  # noqa: E731
    out = [f"{host}: the central copy differs from the machine's files"]
    for user in sorted(set(copy) | set(source)):
        for name in sorted(set(copy.get(user, {})) | set(source.get(user, {}))):
            ours, theirs = copy.get(user, {}).get(name, b""), source.get(user, {}).get(name, b"")
            if ours != theirs:
                out.append(f"  {user}/{name}: central seqs {seqs(ours)}, machine seqs {seqs(theirs)}")
    return "\n".join(out)


def segment_order(path: Path):
    """Day files in the order they were written: YYYY-MM-DD.jsonl, then .1, .2, ..."""
    day, _, rest = path.name.partition(".")
    segment = rest.split(".")[0]
    return day, int(segment) if segment.isdigit() else 0


def entry_count(log_dir: Path) -> int:
    return sum(
        data.count(b"\n") for files in tree(log_dir).values() for data in files.values()
    )


def delivered(copy_dir: Path, source_dir: Path) -> bool:
    """Whether the copy holds every line of the source, in order, lines
    delivered twice aside (what drop_redelivered.py drops)."""
    if not copy_dir.is_dir():
        return False
    copy = tree(copy_dir)
    return all(
        without_repeats(copy.get(user, {}).get(name, b""))[0] == data
        for user, files in tree(source_dir).items()
        for name, data in files.items()
    )


def drop_redelivered(collector, *host_dirs, check=True):
    """Runs the documented step, fleet/drop_redelivered.py."""
    result = subprocess.run(
        [sys.executable, str(FLEET / "drop_redelivered.py"),
         "--collector-pid-file", str(collector.pid_file), *map(str, host_dirs)],
        capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(f"drop_redelivered.py: {result.returncode} {result.stderr}")
    return result


class Machine:
    """One machine: a log directory, its writers and its rsyslog sender."""

    def __init__(self, root: Path, name: str, collector_port: int, keyed: bool):
        self.name = name
        self.dir = root / f"{name}-logs"
        self.dir.mkdir()
        self.key_file = None
        settings = dict(max_file_bytes=1024, compress=True, compress_grace=GRACE,
                        arg_max_chars=20000)
        if keyed:
            self.key_file = root / f"{name}.key"
            self.key_file.write_bytes(KEY)
            self.key_file.chmod(0o600)
            settings["chain_key"] = KEY
        self.log = AuditLog(self.dir, component(root), **settings)
        self.sender = Rsyslog(root, f"sender-{name}", "rsyslog-sender.conf", {
            "AUDITLOG_FLEET_HOST": name,
            "AUDITLOG_FLEET_FILES": f"{self.dir}/*/tool_audit/*.jsonl",
            "AUDITLOG_FLEET_COLLECTOR": "127.0.0.1",
            "AUDITLOG_FLEET_RELP_PORT": str(collector_port),
        })

    def write(self, round_: int) -> None:
        users = USERS + ([LATE_USER] if round_ >= ROUNDS // 2 else [])
        for user in users:
            i = round_ * 10 + len(user)
            args = {"path": f"/srv/{user}/{i}.txt", "note": "  leading spaces, ünïcødé, \"quotes\" 'single'"}
            if round_ % 17 == 3:
                args["blob"] = "x" * 12000  # a line past rsyslog's default 8 KiB
            status = ["ok", "ok", "error", "denied"][i % 4]
            self.log.tool(user, f"tool_{i % 3}", status, args=args, result=f"result {i}\tend")

    def verify_args(self):
        return ["--key-file", str(self.key_file)] if self.key_file else []


@pytest.fixture
def fleet():
    root = Path(tempfile.mkdtemp(prefix="auditlog-fleet-"))
    os.chmod(root, 0o755)  # PostgreSQL runs as postgres below it
    started = []
    try:
        pg = Postgres(root)
        started.append(pg)
        pg.start()
        pg.psql(file=FLEET / "sql/schema.sql")
        central = root / "central"
        relp_port = free_port()
        collector = Rsyslog(root, "collector", "rsyslog-collector.conf", {
            "AUDITLOG_FLEET_LISTEN": "127.0.0.1",
            "AUDITLOG_FLEET_RELP_PORT": str(relp_port),
            "AUDITLOG_FLEET_CENTRAL": str(central),
            "AUDITLOG_FLEET_REJECTED": str(root / "rejected.log"),
            "AUDITLOG_FLEET_PGSQL": pg.uri(),
        })
        started.append(collector)
        collector.start()
        machines = [Machine(root, "alpha", relp_port, keyed=False),
                    Machine(root, "beta", relp_port, keyed=True)]
        for machine in machines:
            started.append(machine.sender)
            machine.sender.start()
        yield root, central, pg, collector, machines
    except BaseException:
        for log in sorted(root.glob("*.log")):
            print(f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}")
        raise
    finally:
        for daemon in reversed(started):
            daemon.stop()
        shutil.rmtree(root, ignore_errors=True)


def test_two_machines_ship_verify_and_query_centrally(fleet):
    root, central, pg, collector, (alpha, beta) = fleet
    time.sleep(1)  # let the senders set up their inotify watches

    # Both machines write all along, segments rolling over and (past the
    # grace period) getting compressed. A third of the way in, beta's sender
    # is stopped (SIGTERM) while lines flow, and started again two seconds
    # later; two thirds in, alpha's is killed (-9) the same way.
    rounds = {alpha: 0, beta: 0}

    def writes(machine):
        for round_ in range(ROUNDS):
            machine.write(round_)
            rounds[machine] = round_ + 1
            time.sleep(0.25)

    def interrupt(machine, at_round, stop):
        wait_for(f"{machine.name}'s writer at round {at_round}",
                 lambda: rounds[machine] >= at_round, timeout=60, every=0.05)
        shipped = entry_count(central / machine.name)
        wait_for(f"{machine.name}'s lines flowing to the collector",
                 lambda: entry_count(central / machine.name) > shipped, timeout=30, every=0.02)
        stop()
        assert rounds[machine] < ROUNDS, "stopped while its machine writes"
        time.sleep(2)
        machine.sender.start()

    writers = [threading.Thread(target=writes, args=(m,)) for m in (alpha, beta)]
    for w in writers:
        w.start()
    try:
        interrupt(beta, ROUNDS // 3, beta.sender.stop)
        interrupt(alpha, 2 * ROUNDS // 3, alpha.sender.kill)
    finally:
        for w in writers:
            w.join()

    for machine in (alpha, beta):
        wait_for(f"every line of {machine.name} at the collector",
                 lambda: delivered(central / machine.name, machine.dir), timeout=90)
    time.sleep(1)  # a late repeat would show now

    # The graceful stop: byte for byte what beta wrote, nothing lost or repeated.
    expected = tree(beta.dir)
    copy = tree(central / "beta")
    assert copy == expected, differences("beta", copy, expected)

    # The kill: every line there, in order; a line delivered twice is named
    # as such by verify, and the documented step, run while the collector is
    # stopped, drops exactly those lines.
    expected = tree(alpha.dir)
    copy = tree(central / "alpha")
    if copy != expected:
        repeated = auditlog("--dir", str(central / "alpha"), "verify", "--all-users", check=False)
        assert repeated.returncode == 1, repeated
        assert "delivered twice" in repeated.stderr, repeated.stderr
    collector.stop()
    dropped = drop_redelivered(collector, central / "alpha", central / "beta")
    print(f"after the kill: {len(dropped.stdout.splitlines())} lines delivered twice")
    assert (dropped.stdout == "") == (copy == expected), dropped.stdout
    assert "beta" not in dropped.stdout
    collector.start()
    copy = tree(central / "alpha")
    assert copy == expected, differences("alpha", copy, expected)

    for machine in (alpha, beta):
        src = machine.dir
        gz = list(src.glob("*/tool_audit/*.jsonl.gz"))
        assert gz, f"{machine.name}: segments were compressed while shipping"
        assert (src / LATE_USER / "tool_audit").is_dir()
        host_copy = central / machine.name

        # verify on the copy, against the machine's own checkpoint.
        checkpoint = root / f"{machine.name}.checkpoint.json"
        source = auditlog("--dir", str(src), *machine.verify_args(), "verify",
                          "--all-users", "--checkpoint", str(checkpoint))
        shipped = root / f"{machine.name}.shipped-checkpoint.json"
        shutil.copy(checkpoint, shipped)
        copy = auditlog("--dir", str(host_copy), *machine.verify_args(), "verify",
                        "--all-users", "--checkpoint", str(shipped))
        assert copy.stdout.splitlines()[0] == source.stdout.splitlines()[0]
        count = int(source.stdout.split()[0])
        assert count == entry_count(src) == entry_count(host_copy)

        # SQL (each line stored once, repeats or not, and kept across the
        # collector's restart): stats, recent and gaps equal auditlog's.
        wait_for(f"{machine.name}'s {count} rows in SQL", lambda: sql_rows(pg, machine) == count,
                 timeout=60)
        check_sql(pg, machine, host_copy)

    assert not (root / "rejected.log").exists()
    rows = pg.psql("SELECT count(*) FROM auditlog_entries").stdout.strip()
    assert int(rows) == entry_count(alpha.dir) + entry_count(beta.dir)

    # The keyed machine's copy: without the key it does not verify.
    no_key = auditlog("--dir", str(central / "beta"), "verify", "--all-users", check=False)
    assert no_key.returncode == 1 and "sealed with" in no_key.stderr

    tampering_is_named(root, central, pg, collector, alpha, beta)


def sql_rows(pg, machine) -> int:
    rows = pg.psql(f"SELECT count(*) FROM auditlog_entries WHERE host = '{machine.name}'")
    return int(rows.stdout.strip())


def check_sql(pg, machine, host_copy):
    since = "2000-01-01"
    ours = json.loads(auditlog("--dir", str(host_copy), "stats", "--all-users",
                               "--since", since, "--format", "json").stdout)
    theirs = json.loads(auditlog("--dir", str(machine.dir), "stats", "--all-users",
                                 "--since", since, "--format", "json").stdout)
    assert ours == theirs
    rows = pg.psql(file=FLEET / "sql/stats.sql", variables=[("since", since)]).stdout
    by_host = dict(line.split("|", 1) for line in rows.strip().splitlines())
    sql = json.loads(by_host[machine.name])
    assert sql["error_rate"] == pytest.approx(ours["error_rate"])
    for key in ("total", "errors", "other", "by_status", "by_user", "by_day"):
        assert sql[key] == ours[key], key
    assert sql["by_name"] == {
        name: {"count": s["count"], "errors": s["errors"]} for name, s in ours["by_name"].items()
    }
    for user in USERS + [LATE_USER]:
        recent = auditlog("--dir", str(host_copy), "recent", "--user", user, "--limit", "15",
                          "--format", "jsonl").stdout.splitlines()
        rows = pg.psql(file=FLEET / "sql/recent.sql", variables=[
            ("host", machine.name), ("user", user), ("limit", "15")]).stdout.splitlines()
        assert [json.loads(r) for r in rows] == [json.loads(r) for r in recent]
    assert pg.psql(file=FLEET / "sql/gaps.sql").stdout.strip() == ""


def tampering_is_named(root, central, pg, collector, alpha, beta):
    """Lines deleted, cut from the end, changed or repeated centrally are named."""
    files = sorted((central / "alpha" / "alice" / "tool_audit").glob("*.jsonl"))
    victim = files[len(files) // 2]
    lines = victim.read_bytes().splitlines(keepends=True)
    assert len(lines) >= 2
    gone = json.loads(lines[0])["seq"]
    victim.write_bytes(b"".join(lines[1:]))
    failed = auditlog("--dir", str(central / "alpha"), "verify", "--all-users", check=False)
    assert failed.returncode == 1
    assert f"alice/tool_audit/{victim.name} line 1 (seq {gone + 1})" in failed.stderr
    assert f"entry {gone} was removed" in failed.stderr
    victim.write_bytes(b"".join(lines))

    # The newest line cut: only the machine's checkpoint can tell.
    newest = max((central / "beta" / "bob" / "tool_audit").glob("*.jsonl"), key=segment_order)
    kept = newest.read_bytes()
    newest.write_bytes(b"".join(kept.splitlines(keepends=True)[:-1]))
    shipped = root / "beta.shipped-checkpoint.json"
    shutil.copy(root / "beta.checkpoint.json", shipped)
    cut = auditlog("--dir", str(central / "beta"), *beta.verify_args(), "verify",
                   "--all-users", "--checkpoint", str(shipped), check=False)
    assert cut.returncode == 1 and "cut from the end" in cut.stderr, cut.stderr
    newest.write_bytes(kept)

    # A changed entry in the keyed copy: its MAC no longer matches.
    target = min((central / "beta" / "alice" / "tool_audit").glob("*.jsonl"), key=segment_order)
    original = target.read_bytes()
    target.write_bytes(original.replace(b'"status":"denied"', b'"status":"ok"', 1))
    assert target.read_bytes() != original
    changed = auditlog("--dir", str(central / "beta"), *beta.verify_args(), "verify",
                       "--all-users", check=False)
    assert changed.returncode == 1 and "modified" in changed.stderr, changed.stderr
    target.write_bytes(original)

    # Lines delivered twice (as RELP may after a kill): verify names the
    # first repeat; drop_redelivered.py refuses while the collector runs, and
    # once it is stopped leaves the file as it was.
    target = max((central / "alpha" / "bob" / "tool_audit").glob("*.jsonl"),
                 key=lambda path: path.read_bytes().count(b"\n"))
    original = target.read_bytes()
    lines = original.splitlines(keepends=True)
    assert len(lines) >= 4
    target.write_bytes(original + b"".join(lines[-3:]))
    twice = auditlog("--dir", str(central / "alpha"), "verify", "--all-users", check=False)
    first = json.loads(lines[-3])["seq"]
    assert twice.returncode == 1
    assert (f"bob/tool_audit/{target.name} line {len(lines) + 1} (seq {first}): comes after seq "
            f"{first + 2}: it repeats line {len(lines) - 2} (the same entry, seq {first}): "
            "delivered twice") in twice.stderr, twice.stderr
    running = drop_redelivered(collector, central / "alpha", check=False)
    assert running.returncode == 2 and "is running" in running.stderr, running
    assert target.read_bytes() == original + b"".join(lines[-3:])
    collector.stop()
    dropped = drop_redelivered(collector, central / "alpha").stdout.splitlines()
    collector.start()
    assert dropped == [
        f"{target} line {len(lines) + 1 + i}: repeats line {len(lines) - 2 + i} "
        f"(seq {first + i}): dropped" for i in range(3)
    ]
    assert target.read_bytes() == original
    auditlog("--dir", str(central / "alpha"), "verify", "--all-users")

    # A row deleted from SQL: gaps.sql names the missing seq.
    pg.psql("DELETE FROM auditlog_entries WHERE host = 'alpha' AND \"user\" = 'bob' AND seq = 5")
    assert pg.psql(file=FLEET / "sql/gaps.sql").stdout.strip() == "alpha|bob|5|5"
