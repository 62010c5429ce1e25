"""A log opened before ``os.fork()`` and used in the children: each child must
write through instances (and lock files) of its own. A child that used its
parent's would share the parent's ``flock`` locks (they belong to the open
file, which fork shares) and its cached ends: entries lost, ``seq`` numbers
repeated, the chain broken."""

import asyncio
import json
import multiprocessing
import threading

import pytest

import auditlog
from auditlog import tool_audit
from auditlog.aio import AsyncAuditLog

CHILDREN = 4
EACH = 25

fork = multiprocessing.get_context("fork")

# The children's calls reach these through the inherited module globals, as
# a module-level log of an application forked by gunicorn or multiprocessing.
inherited = {}


def tool_child(i):
    for j in range(EACH):
        inherited["log"].tool("alice", "child", "ok", {"i": i, "j": j})


def skill_child(i):
    for j in range(EACH):
        inherited["log"].record("child.run", "success", j, metadata={"i": i})


def async_child(i):
    async def calls():
        for j in range(EACH):
            await inherited["log"].tool("alice", "child", "ok", {"i": i, "j": j})

    asyncio.run(calls())


def tool_audit_child(i):
    # Awaited here: a pool's worker is killed once the pool is done with it,
    # before the interpreter could finish fire-and-forget writes.
    async def calls():
        await asyncio.gather(*(tool_audit.record("alice", "child", {"i": i, "j": j}, "ok") for j in range(EACH)))

    asyncio.run(calls())


def run_children(target):
    with fork.Pool(CHILDREN) as pool:
        pool.map(target, range(CHILDREN), chunksize=1)


def tool_lines(root):
    return [json.loads(line) for f in sorted((root / "alice" / "tool_audit").glob("*.jsonl")) for line in f.open()]


def assert_whole(lines, log_dir, **log):
    assert len(lines) == 1 + CHILDREN * EACH
    assert [e["seq"] for e in lines] == list(range(1, len(lines) + 1))
    report = auditlog.AuditLog(log_dir).verify(**log)
    assert report["ok"], report["problem"]
    assert report["entries"] == len(lines)


def test_children_of_a_used_log_append_to_one_chain(log_dir):
    inherited["log"] = auditlog.AuditLog(log_dir)
    inherited["log"].tool("alice", "parent", "ok")
    run_children(tool_child)
    lines = tool_lines(log_dir)
    assert_whole(lines, log_dir, user="alice")
    assert sorted((e["args"]["i"], e["args"]["j"]) for e in lines[1:]) == [
        (i, j) for i in range(CHILDREN) for j in range(EACH)
    ]
    # The parent goes on writing after them, at the chain's end.
    assert inherited["log"].tool("alice", "parent", "ok")["seq"] == len(lines) + 1


def test_children_keep_the_skill_log_one_json_array(log_dir):
    inherited["log"] = auditlog.AuditLog(log_dir)
    inherited["log"].record("parent.run", "success", 0)
    run_children(skill_child)
    entries = json.loads((log_dir / "audit_log.json").read_text())
    assert_whole(entries, log_dir, skills=True)


def test_children_of_an_async_log_append_to_one_chain(log_dir):
    inherited["log"] = AsyncAuditLog(log_dir)
    asyncio.run(inherited["log"].tool("alice", "parent", "ok"))
    run_children(async_child)
    assert_whole(tool_lines(log_dir), log_dir, user="alice")


def test_children_of_the_tool_audit_drop_in_append_to_one_chain(tmp_path):
    root = tmp_path / "home"
    tool_audit.configure(root)
    try:
        asyncio.run(tool_audit.record("alice", "parent", {}, "ok"))
        run_children(tool_audit_child)
    finally:
        tool_audit.configure(None)
    assert_whole(tool_lines(root), root, user="alice")


def test_a_fork_while_another_thread_appends_does_not_hang_the_child(log_dir):
    # The other thread may hold the pools' locks at the fork: the child must
    # not wait for them (they stay locked in it for ever), nor drop them.
    inherited["log"] = auditlog.AuditLog(log_dir)
    inherited["log"].tool("alice", "parent", "ok")
    stop = threading.Event()
    written = []

    def parent_writer():
        while not stop.is_set():
            written.append(inherited["log"].tool("alice", "parent", "ok"))

    writer = threading.Thread(target=parent_writer)
    writer.start()
    try:
        with fork.Pool(CHILDREN) as pool:
            pool.map_async(tool_child, range(CHILDREN), chunksize=1).get(timeout=120)
    finally:
        stop.set()
        writer.join()
    lines = tool_lines(log_dir)
    assert len(lines) == 1 + len(written) + CHILDREN * EACH
    assert [e["seq"] for e in lines] == list(range(1, len(lines) + 1))
    assert auditlog.AuditLog(log_dir).verify(user="alice")["ok"]


@pytest.fixture(autouse=True)
def forget_the_log():
    yield
    inherited.clear()
