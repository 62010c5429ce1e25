"""Many machines, one audit trail (README: "Running a fleet"), end to end.

Two machines (two log directories, each with its own rsyslog sender, running
fleet/rsyslog-sender.conf) and three users write while segments roll over
(max_file_bytes) and get compressed (compress, after compress_grace); a new
user starts half-way. One sender is killed (-9) mid-stream and restarted. A
central rsyslog (fleet/rsyslog-collector.conf) writes every line to
<central>/<host>/<user>/tool_audit/<file> and into PostgreSQL
(fleet/sql/schema.sql). Then:

- each central copy holds, byte for byte, what its machine wrote (compressed
  files read through), and `auditlog verify` passes on it, against the
  machine's checkpoint, with the same entry count; the keyed machine's copy
  verifies with its key only;
- fleet/sql/stats.sql equals `auditlog stats`, fleet/sql/recent.sql equals
  `auditlog recent`, fleet/sql/gaps.sql finds no gap;
- a line deleted centrally is named by verify (file, seq), a line cut from
  the end by the checkpoint, a line changed by its link; a row deleted from
  SQL by gaps.sql.

Needs root, tests/setup-fleet.sh (rsyslog, rsyslog-relp, rsyslog-pgsql,
postgresql), the auditlog CLI ($AUDITLOG_BIN) and wasmtime-py (the writers
use python/auditlog_wasm.py with the portable component, $AUDITLOG_COMPONENT).
"""

import functools
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
from auditlog_wasm import AuditLog  # noqa: E402

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


@functools.cache
def component() -> str:
    path = os.environ.get("AUDITLOG_COMPONENT")
    if path:
        return path
    out = Path(tempfile.mkdtemp()) / "auditlog-portable.wasm"
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
            settings["chain_key"] = KEY
        self.log = AuditLog(self.dir, component(), **settings)
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
        yield root, central, pg, machines
    except BaseException:
        for log in sorted(root.glob("*.log")):
            print(f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}")
        raise
    finally:
        for daemon in reversed(started):
            daemon.stop()
        shutil.rmtree(root, ignore_errors=True)


def test_two_machines_ship_verify_and_query_centrally(fleet):
    root, central, pg, (alpha, beta) = fleet
    time.sleep(1)  # let the senders set up their inotify watches

    # Both machines write; alpha's sender is killed -9 a third of the way in
    # and restarted a few seconds later, while both keep writing and segments
    # keep rolling over (and, past the grace period, get compressed). The kill
    # falls between two lines (alpha's writer holds for a moment until the
    # collector has everything): a kill while RELP has a line in flight, before
    # imfile saved its state, can deliver that line twice, which verify names.
    hold = threading.Event()
    holding = threading.Event()

    def writes(machine):
        for round_ in range(ROUNDS):
            if machine is alpha and hold.is_set():
                holding.set()
                while hold.is_set():
                    time.sleep(0.01)
            machine.write(round_)
            time.sleep(0.25)

    writers = [threading.Thread(target=writes, args=(m,)) for m in (alpha, beta)]
    for w in writers:
        w.start()
    time.sleep(ROUNDS * 0.25 / 3)
    hold.set()
    wait_for("alpha's writer to hold", holding.is_set, timeout=10)
    wait_for("the collector to have alpha's lines so far",
             lambda: (central / "alpha").is_dir()
             and entry_count(central / "alpha") == entry_count(alpha.dir), timeout=30)
    alpha.sender.kill()
    hold.clear()
    time.sleep(3)
    alpha.sender.start()
    for w in writers:
        w.join()

    for machine in (alpha, beta):
        src = machine.dir
        gz = list(src.glob("*/tool_audit/*.jsonl.gz"))
        assert gz, f"{machine.name}: segments were compressed while shipping"
        assert (src / LATE_USER / "tool_audit").is_dir()
        expected = tree(src)
        host_copy = central / machine.name
        wait_for(f"{machine.name}'s {entry_count(src)} entries at the collector",
                 lambda: host_copy.is_dir() and entry_count(host_copy) >= entry_count(src),
                 timeout=90)
        time.sleep(1)  # anything past the count (a duplicate) would show now
        # Byte for byte what the machine wrote: nothing lost, repeated or altered.
        assert tree(host_copy) == expected, differences(machine.name, tree(host_copy), expected)

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

        # SQL: stats, recent and gaps equal what auditlog answers.
        check_sql(pg, machine, host_copy)

    assert not (root / "rejected.log").exists()
    rows = pg.psql("SELECT count(*) FROM auditlog_entries").stdout.strip()
    assert int(rows) == entry_count(alpha.dir) + entry_count(beta.dir)

    # The keyed machine's copy: without the key it does not verify.
    no_key = auditlog("--dir", str(central / "beta"), "verify", "--all-users", check=False)
    assert no_key.returncode == 1 and "sealed with" in no_key.stderr

    tampering_is_named(root, central, pg, alpha, beta)


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


def tampering_is_named(root, central, pg, alpha, beta):
    """Lines deleted, cut from the end or changed centrally are named."""
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

    # A row deleted from SQL: gaps.sql names the missing seq.
    pg.psql("DELETE FROM auditlog_entries WHERE host = 'alpha' AND \"user\" = 'bob' AND seq = 5")
    assert pg.psql(file=FLEET / "sql/gaps.sql").stdout.strip() == "alpha|bob|5|5"
