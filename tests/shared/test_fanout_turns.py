"""Subscribers that take turns (subscriptions/fanout.py `Turns`): an item wakes one idle
subscriber of a group to do the work, its release wakes the rest, and nobody is left waiting
on an item that is theirs."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence

import pytest

from subscriptions.fanout import (
    Fanout,
    SubscriberTooSlow,
    Subscription,
    SubscriptionClosed,
    Turns,
)

CHANNEL = "job:1"


@contextlib.asynccontextmanager
async def members(
    fanout: Fanout[int], turns: Sequence[Turns | None]
) -> AsyncIterator[list[Subscription[int]]]:
    async with contextlib.AsyncExitStack() as stack:
        yield [await stack.enter_async_context(fanout.subscribe(CHANNEL, t)) for t in turns]


async def idle(subscriptions: Sequence[Subscription[int]]) -> list[asyncio.Task[int]]:
    """Each subscription waiting for its next item, in this order."""
    tasks = []
    for subscription in subscriptions:
        tasks.append(asyncio.create_task(subscription.get()))
        await asyncio.sleep(0)  # it parks before the next one does
    return tasks


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_an_item_wakes_one_idle_member_of_a_group_and_its_release_the_rest():
    fanout: Fanout[int] = Fanout(10)
    group = [Turns("board"), Turns("board"), Turns("board")]
    async with members(fanout, [*group, None]) as subscriptions:
        waiting = await idle(subscriptions)
        assert fanout.deliver(CHANNEL, 7) == 4
        await settle()
        # The first to park takes its turn; a subscriber outside any group gets it as always.
        assert [t.done() for t in waiting] == [True, False, False, True]
        assert waiting[0].result() == 7 and waiting[3].result() == 7

        group[0].release()
        await settle()
        assert [t.result() for t in waiting] == [7, 7, 7, 7]


async def test_each_group_of_a_channel_takes_its_own_turn():
    fanout: Fanout[int] = Fanout(10)
    turns = [Turns("a"), Turns("b"), Turns("a"), Turns("b")]
    async with members(fanout, turns) as subscriptions:
        waiting = await idle(subscriptions)
        fanout.deliver(CHANNEL, 1)
        await settle()
        assert [t.done() for t in waiting] == [True, True, False, False]
        turns[0].release()  # only group a's
        await settle()
        assert [t.done() for t in waiting] == [True, True, True, False]


async def test_a_member_that_leaves_on_its_turn_passes_it_on():
    fanout: Fanout[int] = Fanout(10)
    group = [Turns("board"), Turns("board"), Turns("board")]
    async with members(fanout, group) as subscriptions:
        waiting = await idle(subscriptions)
        fanout.deliver(CHANNEL, 3)
        waiting[0].cancel()  # woken for its turn, cancelled before it ran
        await settle()
        assert waiting[0].cancelled()
        assert waiting[1].done() and waiting[1].result() == 3
        assert not waiting[2].done()
        group[1].release()
        await settle()
        assert waiting[2].result() == 3


async def test_a_member_given_an_item_it_had_already_seen_passes_its_turn_on():
    """A subscription that started after the item committed drops it (resolvers/realtime.py);
    the members that still need it must not wait for their next item."""
    fanout: Fanout[int] = Fanout(10)
    group = [Turns("board"), Turns("board"), Turns("board")]
    async with members(fanout, group) as subscriptions:
        waiting = await idle(subscriptions)
        fanout.deliver(CHANNEL, 4)
        await settle()
        assert [t.done() for t in waiting] == [True, False, False]
        group[0].pass_on()
        await settle()
        assert [t.done() for t in waiting] == [True, True, False]


async def test_a_member_with_an_item_queued_takes_it_without_waiting_for_a_turn():
    """Only a member with nothing queued parks: one released before it came back for its
    next item takes what it has at once."""
    fanout: Fanout[int] = Fanout(10)
    group = [Turns("board"), Turns("board")]
    async with members(fanout, group) as (first, second):
        fanout.deliver(CHANNEL, 1)
        group[0].release()
        assert await asyncio.wait_for(second.get(), 1) == 1
        assert await asyncio.wait_for(first.get(), 1) == 1


async def test_a_parked_member_that_overflows_is_told_it_is_too_slow():
    fanout: Fanout[int] = Fanout(1)
    async with members(fanout, [Turns("board"), Turns("board")]) as subscriptions:
        waiting = await idle(subscriptions)
        fanout.deliver(CHANNEL, 1)  # the first takes its turn; the second has 1 queued
        await settle()
        fanout.deliver(CHANNEL, 2)  # and no room for 2: no release came
        await settle()
        assert waiting[0].result() == 1
        with pytest.raises(SubscriberTooSlow):
            waiting[1].result()


async def test_closing_the_fanout_ends_parked_members():
    fanout: Fanout[int] = Fanout(10)
    async with members(fanout, [Turns("board"), Turns("board")]) as subscriptions:
        waiting = await idle(subscriptions)
        fanout.close_all()
        await settle()
        for task in waiting:
            with pytest.raises(SubscriptionClosed):
                task.result()


async def test_a_group_ends_with_its_last_member_and_a_new_one_starts_fresh():
    fanout: Fanout[int] = Fanout(10)
    async with members(fanout, [Turns("board"), Turns("board")]) as subscriptions:
        waiting = await idle(subscriptions)
        for task in waiting:
            task.cancel()
        await settle()
    async with members(fanout, [Turns("board")]) as (alone,):
        (waiting_alone,) = await idle([alone])
        fanout.deliver(CHANNEL, 5)
        assert await asyncio.wait_for(waiting_alone, 1) == 5
