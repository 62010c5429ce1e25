"""The daemons the fleet test runs: PostgreSQL and rsyslog, each started by
the test with its own configuration, directories and loopback port, and
stopped by its own pid (never by name), even when the test fails."""

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path


def _postgres_bin() -> Path:
    """The newest PostgreSQL's binaries Debian installed (initdb, postgres
    are not on PATH): /usr/lib/postgresql/<major>/bin."""
    found = [p for p in Path("/usr/lib/postgresql").glob("*/bin") if p.parent.name.isdigit()]
    return max(found, key=lambda p: int(p.parent.name), default=Path("/usr/lib/postgresql/15/bin"))


PG_BIN = _postgres_bin()
FLEET = Path(__file__).resolve().parents[2] / "fleet"


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on (the kernel's choice)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(what, check, timeout=60.0, every=0.2):
    """Polls check() until it returns something true; fails naming what."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(every)


def stop(pid: int, sig=signal.SIGTERM, timeout=20.0) -> None:
    """Sends sig to pid and waits until it is gone (SIGKILL after timeout)."""
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            done = pid if not _alive(pid) else 0
        if done:
            return
        time.sleep(0.05)
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


class Postgres:
    """A PostgreSQL cluster of the test's own, run as user postgres (it
    refuses root) on 127.0.0.1:port, trust authentication, socket in its
    data directory."""

    def __init__(self, root: Path):
        self.dir = root / "pgdata"
        self.port = free_port()
        self.proc = None

    def start(self) -> None:
        self.dir.mkdir()
        shutil.chown(self.dir, "postgres", "postgres")
        subprocess.run(
            [PG_BIN / "initdb", "-D", self.dir, "-U", "postgres", "-A", "trust",
             "-E", "UTF8", "--locale=C"],
            user="postgres", group="postgres", check=True, capture_output=True, cwd="/",
        )
        log = open(self.dir.parent / "postgres.log", "w")
        self.proc = subprocess.Popen(
            [PG_BIN / "postgres", "-D", self.dir, "-p", str(self.port),
             "-c", "listen_addresses=127.0.0.1", "-c", f"unix_socket_directories={self.dir}",
             "-c", "fsync=off"],
            user="postgres", group="postgres", stdout=log, stderr=log, cwd="/",
        )
        wait_for("PostgreSQL to accept connections",
                 lambda: self.psql("SELECT 1", db="postgres", check=False).returncode == 0,
                 timeout=60)
        self.psql("CREATE DATABASE auditlog", db="postgres")

    def uri(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/auditlog"

    def psql(self, sql=None, *, file=None, db="auditlog", variables=(), check=True):
        """Runs psql (unaligned, tuples only); its result, stdout as text."""
        command = ["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                   "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", db]
        for name, value in variables:
            command += ["-v", f"{name}={value}"]
        command += ["-f", str(file)] if file else ["-c", sql]
        result = subprocess.run(command, capture_output=True, text=True)
        if check and result.returncode != 0:
            raise AssertionError(f"psql failed: {result.stderr}")
        return result

    def stop(self) -> None:
        if self.proc is not None:
            stop(self.proc.pid, signal.SIGINT)  # PostgreSQL's fast shutdown
            self.proc = None


class Rsyslog:
    """One rsyslogd, foreground (-n), with fleet/<conf> verbatim, its own pid
    file (-i) and work directory; settings through the environment the
    configuration reads."""

    def __init__(self, root: Path, name: str, conf: str, env: dict):
        self.name = name
        self.conf = FLEET / conf
        self.state = root / f"{name}-state"
        self.state.mkdir(exist_ok=True)
        self.env = {**os.environ, "AUDITLOG_FLEET_STATE": str(self.state), **env}
        self.log = root / f"{name}.log"
        self.pid_file = self.state / "rsyslogd.pid"
        self.proc = None

    def start(self) -> None:
        check = subprocess.run(["rsyslogd", "-N1", "-f", self.conf], env=self.env,
                               capture_output=True, text=True)
        assert check.returncode == 0, f"{self.name}: {check.stderr}"
        with open(self.log, "a") as log:
            self.proc = subprocess.Popen(
                ["rsyslogd", "-n", "-f", self.conf, "-i", self.pid_file],
                env=self.env, stdout=log, stderr=subprocess.STDOUT, cwd="/",
            )

    def kill(self) -> None:
        """kill -9: no shutdown, no state saved beyond what was saved."""
        if self.proc is not None:
            stop(self.proc.pid, signal.SIGKILL)
            self.proc = None

    def stop(self) -> None:
        """SIGTERM: rsyslog's orderly shutdown (imfile saves its state)."""
        if self.proc is not None:
            stop(self.proc.pid)
            self.proc = None
