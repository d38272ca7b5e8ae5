"""schema.realtime.sharing: one subscriber works a change out and the others wait for its
answer; one of them leaving must not take the answer away from the rest (issue #7)."""

from __future__ import annotations

import asyncio
from typing import Any

from schema.realtime.sharing import claim, shared


async def test_a_waiter_leaving_does_not_cancel_the_answer_for_the_others():
    cache: dict[Any, Any] = {}
    slot, first = claim(cache, "key")
    assert first
    waiters = [asyncio.create_task(claim(cache, "key")[0].result()) for _ in range(3)]
    await asyncio.sleep(0)  # all three waiting
    waiters[0].cancel()
    await asyncio.sleep(0)

    slot.set_result("message")

    assert await asyncio.gather(*waiters[1:]) == ["message", "message"]
    assert waiters[0].cancelled()
    assert claim(cache, "key") == (slot, False)
    assert await slot.result() == "message"  # asked after it was answered


async def test_shared_work_is_redone_by_each_waiter_when_the_first_caller_fails():
    cache: dict[Any, Any] = {}
    started = asyncio.Event()
    release = asyncio.Event()
    runs: list[str] = []

    async def first() -> str:
        runs.append("first")
        started.set()
        await release.wait()
        raise RuntimeError("read failed")

    async def again() -> str:
        runs.append("again")
        return "row"

    lead = asyncio.create_task(shared(cache, "row", first))
    await started.wait()
    others = [asyncio.create_task(shared(cache, "row", again)) for _ in range(2)]
    await asyncio.sleep(0)
    release.set()

    assert await asyncio.gather(*others) == ["row", "row"]
    assert isinstance((await asyncio.gather(lead, return_exceptions=True))[0], RuntimeError)
    assert runs == ["first", "again", "again"]
