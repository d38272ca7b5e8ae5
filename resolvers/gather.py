"""Awaiting several loads together without leaving any running after one fails."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterable
from typing import TypeVar

T = TypeVar("T")


async def gather_or_cancel(awaitables: Iterable[Awaitable[T]]) -> list[T]:
    """Each result, in order, as asyncio.gather gives them; but when one raises, the others
    are cancelled and waited for before the error propagates. asyncio.gather leaves them
    running: past the end of their request, where their reads are refused (db.reader) or
    their answers go nowhere."""
    tasks = [asyncio.ensure_future(awaitable) for awaitable in awaitables]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
