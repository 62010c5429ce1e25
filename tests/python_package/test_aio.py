"""auditlog.aio: awaitable calls that never block the event loop."""

import asyncio
import fcntl
import os
import time

import auditlog
from auditlog.aio import AsyncAuditLog


def test_the_loop_keeps_ticking_while_a_call_waits_in_the_host(log_dir):
    log = AsyncAuditLog(log_dir)

    async def main():
        await log.tool("alice", "first", "ok")
        lock = os.open(log_dir / "alice" / "tool_audit" / ".lock", os.O_RDONLY)
        fcntl.flock(lock, fcntl.LOCK_EX)  # the next append waits for it
        try:
            call = asyncio.ensure_future(log.tool("alice", "second", "ok"))
            ticks = 0
            while ticks < 100:  # other tasks run meanwhile
                await asyncio.sleep(0)
                ticks += 1
            assert not call.done()
            assert [e["tool"] for e in await log.recent(user="alice")] == ["first"]
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
            os.close(lock)
        assert (await call)["tool"] == "second"

    asyncio.run(main())


def test_every_call_is_awaitable_and_concurrent_calls_all_land(log_dir):
    log = AsyncAuditLog(log_dir)

    async def main():
        await asyncio.gather(*(log.tool(f"u{n % 4}", "t", "ok", {"n": n}) for n in range(40)))
        await log.record("s", "success", 5)
        assert len(await log.recent(all_users=True, limit=100)) == 40
        assert (await log.stats(skills=True))["total"] == 1
        assert (await log.verify())["ok"]
        assert await log.repair() == [] and await log.rotate() == []
        page = await log.recent_page(user="u1", limit=5)
        assert len(page["entries"]) == 5 and page["next_cursor"]
        try:
            await log.tool("alice", "t", "maybe")
        except auditlog.InvalidInput as e:
            assert e.field == "status"
        else:
            raise AssertionError("not refused")

    asyncio.run(main())


def test_it_has_every_method_of_auditlog_and_closes_as_a_context_manager(log_dir):
    public = lambda cls: {name for name in dir(cls) if not name.startswith("_")}  # noqa: E731
    assert public(auditlog.AuditLog) - public(AsyncAuditLog) == set()

    async def main():
        async with AsyncAuditLog(log_dir) as log:
            await log.tool("alice", "t", "ok")
        assert len(await log.recent(user="alice")) == 1  # closed, opened again
        await log.close()
        await log.aclose()

    asyncio.run(main())
    with AsyncAuditLog(log_dir) as log:
        assert len(log.sync.recent(user="alice")) == 1


def test_a_large_page_does_not_stall_the_loop(log_dir):
    # Building 10,000 dicts takes tens of milliseconds with the GIL held:
    # given up now and then, the loop goes on ticking meanwhile.
    log = AsyncAuditLog(log_dir)
    for n in range(10_000):
        log.sync.tool("alice", "file_read", "ok", {"path": f"{n}.txt"}, "hello world " * 25)

    async def main():
        gaps = []
        done = False

        async def beat():
            last = time.perf_counter()
            while not done:
                await asyncio.sleep(0.001)
                now = time.perf_counter()
                gaps.append(now - last)
                last = now

        ticking = asyncio.ensure_future(beat())
        await asyncio.sleep(0.02)
        gaps.clear()
        entries = await log.recent(user="alice", limit=10_000)
        done = True
        await ticking
        return entries, max(gaps)

    stalls = []
    for _ in range(3):  # the least of three, against a busy machine
        entries, stall = asyncio.run(main())
        assert len(entries) == 10_000 and entries[-1]["args"] == {"path": "0.txt"}
        stalls.append(stall)
    assert min(stalls) < 0.015, stalls
