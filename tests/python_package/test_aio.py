"""auditlog.aio: awaitable calls that never block the event loop."""

import asyncio
import fcntl
import os

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
