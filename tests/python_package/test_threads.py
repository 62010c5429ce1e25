"""Threads: eight recording at once lose nothing and break no chain, and a
call into the host releases the GIL -- another thread runs Python code while
one waits inside the host."""

import fcntl
import os
import sys
import threading

import auditlog
from conftest import cli_json

THREADS, EACH = 8, 50
CALL_LINE = next(n for n, line in enumerate(open(__file__), 1) if line.rstrip().endswith("# CALL_LINE") and "done" in line)


def test_eight_threads_lose_no_entry(log_dir):
    log = auditlog.AuditLog(log_dir)
    barrier = threading.Barrier(THREADS)
    failures = []

    def work(n):
        barrier.wait()
        try:
            for i in range(EACH):
                log.tool("shared" if i % 2 else f"user{n}", "t", "ok", args={"thread": n, "i": i})
                if i % 10 == 0:
                    log.record(f"skill.{n}", "success", i)
        except Exception as e:  # noqa: BLE001 -- reported below
            failures.append(e)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    shared = log.recent(user="shared", limit=10_000)
    assert len(shared) == THREADS * EACH // 2
    assert sorted((e["args"]["thread"], e["args"]["i"]) for e in shared) == sorted(
        (n, i) for n in range(THREADS) for i in range(1, EACH, 2)
    )
    assert [e["seq"] for e in shared] == list(range(len(shared), 0, -1))
    assert log.stats(all_users=True)["total"] == THREADS * EACH
    assert cli_json(log_dir, "stats", "--skills")["total"] == THREADS * EACH // 10
    report = log.verify()
    assert report["ok"], report["problem"]


def test_the_gil_is_released_while_the_host_works(log_dir):
    log = auditlog.AuditLog(log_dir)
    log.tool("alice", "first", "ok")
    # Hold the lock the host takes to append to alice's log: the next append
    # waits for it inside the host.
    lock = os.open(log_dir / "alice" / "tool_audit" / ".lock", os.O_RDONLY)
    fcntl.flock(lock, fcntl.LOCK_EX)
    calling = threading.Event()
    done = []

    def append():
        calling.set()
        done.append(log.tool("alice", "second", "ok"))  # CALL_LINE

    writer = threading.Thread(target=append)
    writer.start()
    try:
        calling.wait()
        # Until the writer's frame stands on the call: from there on it is
        # inside the native method, and cannot return while the lock is held.
        while sys._current_frames()[writer.ident].f_lineno != CALL_LINE:
            pass
        # This thread runs Python while the writer is inside the call: with
        # the GIL held there, it could not take a single step.
        steps = 0
        while steps < 200_000:
            steps += 1
        assert writer.is_alive() and done == []
        assert [e["tool"] for e in log.recent(user="alice")] == ["first"]
    finally:
        fcntl.flock(lock, fcntl.LOCK_UN)
        os.close(lock)
    writer.join()
    assert done[0]["tool"] == "second"
    assert [e["tool"] for e in log.recent(user="alice")] == ["second", "first"]
