"""Bounded in-process fan-out: one channel's items to every subscriber of it, without ever
waiting for a slow one.

Each subscriber owns a queue of at most `max_queue` items. `deliver` never awaits: a
subscriber whose queue is full is dropped on the spot, its pending items discarded, and its
next `get` raises `SubscriberTooSlow` (it resumes from its last cursor). Everyone else keeps
receiving, and memory stays bounded however far a client falls behind.

Subscribers that would all do the same work for each item (the same GraphQL operation for
the same viewer) can take turns (`Turns`): parked with nothing queued, they are not all woken
by an item. One is, to do the work, and the rest when it `release()`s the shared result, so
each is woken once per item instead of twice (for the item, then for the result).

`on_first` / `on_last` hooks run when a channel gets its first subscriber and loses its last
one (a Broadcast subscribes and unsubscribes its backend there). They run one at a time per
channel, so a subscriber arriving while the last one is leaving waits for the unsubscribe to
finish and then subscribes again, never the other way round.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

T = TypeVar("T")

ChannelHook = Callable[[str], Awaitable[None]]


class SubscriberTooSlow(Exception):
    """The subscriber fell more than max_queue items behind and was closed."""


class SubscriptionClosed(Exception):
    """The fan-out ended the subscription (shutdown, or the subscriber left)."""


class Subscription(Generic[T]):
    """What one subscriber holds: its own bounded queue of items."""

    def __init__(self, max_queue: int) -> None:
        self._items: deque[T] = deque()
        self._max_queue = max_queue
        self._changed = asyncio.Event()
        self._overflowed = False
        self._closed = False
        self._turns: _TurnGroup | None = None
        # While parked in `_turns`: woken with True when it is this subscriber's turn.
        self._parked: asyncio.Future[bool] | None = None

    @property
    def overflowed(self) -> bool:
        return self._overflowed

    @property
    def closed(self) -> bool:
        """Ended: overflowed, or closed by the fan-out (queued items may still be read)."""
        return self._closed

    async def get(self) -> T:
        """The next item; items queued before a clean close are still returned first."""
        while True:
            if self._overflowed:
                raise SubscriberTooSlow(f"fell more than {self._max_queue} items behind")
            if self._items:
                return self._items.popleft()
            if self._closed:
                raise SubscriptionClosed()
            if self._turns is not None:
                await self._park(self._turns)
            else:
                self._changed.clear()
                await self._changed.wait()

    async def _park(self, turns: _TurnGroup) -> None:
        parked = self._parked = asyncio.get_running_loop().create_future()
        turns.parked[self] = None
        try:
            await parked
        except asyncio.CancelledError:
            if parked.done() and not parked.cancelled() and parked.result():
                turns.wake_one()  # it was our turn, and we are leaving: pass it on
            raise
        finally:
            self._parked = None
            turns.parked.pop(self, None)

    def __aiter__(self) -> AsyncIterator[T]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[T]:
        while True:
            try:
                item = await self.get()
            except SubscriptionClosed:
                return
            yield item

    def _offer(self, item: T) -> bool:
        """Queue `item`; False when closed, or now overflowed (and closed) because full."""
        if self._closed:
            return False
        if len(self._items) >= self._max_queue:
            self._overflowed = True
            self._items.clear()  # the subscriber resumes by cursor, not from these
            self._close()
            return False
        self._items.append(item)
        self._changed.set()
        return True

    def _close(self) -> None:
        self._closed = True
        self._changed.set()
        self._wake(False)

    def _wake(self, turn: bool) -> bool:
        """Wake this subscriber if it is parked (with its turn, or not); whether it was."""
        if self._parked is None or self._parked.done():
            return False
        self._parked.set_result(turn)
        return True


class Turns:
    """A subscriber's place among those of one channel that would do the same work for each
    item (`key` says which): pass it to `Fanout.subscribe`, and call `release()` when the
    work for an item is done and its result can be shared. Whoever works an item out must
    release it, or the parked others wait for their next item."""

    __slots__ = ("_group", "key")

    def __init__(self, key: Hashable) -> None:
        self.key = key
        self._group: _TurnGroup | None = None

    def release(self) -> None:
        """Wake every parked subscriber of the group: the result of its items is ready."""
        if self._group is not None:
            self._group.wake_all()

    def pass_on(self) -> None:
        """The item just taken is not this subscriber's to work out (it had seen it): another
        idle subscriber that has it takes the turn."""
        if self._group is not None:
            self._group.wake_one()


@dataclass(eq=False)
class _TurnGroup:
    members: int = 0
    # Parked subscribers (nothing queued when they parked), in the order they parked: a dict
    # as an ordered set.
    parked: dict[Subscription[Any], None] = field(default_factory=dict)

    def wake_one(self) -> None:
        """An item arrived: the first parked subscriber that has it takes its turn."""
        for subscription in self.parked:
            if subscription._items and subscription._wake(True):
                del self.parked[subscription]
                return

    def wake_all(self) -> None:
        parked, self.parked = self.parked, {}
        for subscription in parked:
            subscription._wake(False)


@dataclass(eq=False)
class _Channel(Generic[T]):
    receivers: set[Subscription[T]] = field(default_factory=set)
    # Subscribers inside `subscribe` (joining, active or leaving): the channel's bookkeeping
    # is forgotten only when this is back to 0.
    joined: int = 0
    # Whether on_first ran and on_last has not since; changed only under `lock`.
    attached: bool = False
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    turn_groups: dict[Hashable, _TurnGroup] = field(default_factory=dict)


class Fanout(Generic[T]):
    def __init__(
        self,
        max_queue: int,
        *,
        on_first: ChannelHook | None = None,
        on_last: ChannelHook | None = None,
    ) -> None:
        if max_queue < 1:
            raise ValueError("max_queue must be at least 1")
        self._max_queue = max_queue
        self._on_first = on_first
        self._on_last = on_last
        self._channels: dict[str, _Channel[T]] = {}
        self._closed = False

    @property
    def closed(self) -> bool:
        return self._closed

    @asynccontextmanager
    async def subscribe(
        self, channel: str, turns: Turns | None = None
    ) -> AsyncIterator[Subscription[T]]:
        """Receive `channel`'s items until the block exits, taking turns with the other
        subscribers of `turns.key` if given. If on_first fails, the error propagates and
        nothing stays subscribed."""
        state = self._channels.get(channel)
        if state is None:
            state = self._channels[channel] = _Channel()
        state.joined += 1
        try:
            subscription: Subscription[T] = Subscription(self._max_queue)
            if not self._closed:
                async with state.lock:
                    if not state.attached:
                        if self._on_first is not None:
                            await self._on_first(channel)
                        state.attached = True
            if self._closed:
                subscription._close()  # shutting down: it ends at once
            else:
                state.receivers.add(subscription)
            with _taking_turns(state, subscription, turns):
                try:
                    yield subscription
                finally:
                    state.receivers.discard(subscription)
                    subscription._close()
        finally:
            state.joined -= 1
            if state.joined == 0:
                await self._detach(channel, state)

    async def _detach(self, channel: str, state: _Channel[T]) -> None:
        async with state.lock:
            # Someone may have joined while we waited for the lock: they keep it attached.
            if state.joined == 0 and state.attached:
                state.attached = False
                # After close_all the owner is tearing its backend down: leave it alone.
                if self._on_last is not None and not self._closed:
                    await self._on_last(channel)
        if state.joined == 0 and self._channels.get(channel) is state:
            del self._channels[channel]

    def deliver(self, channel: str, item: T) -> int:
        """Queue `item` for every subscriber of `channel`; returns how many got it. Never
        waits: a subscriber whose queue is full is removed and closed as too slow."""
        state = self._channels.get(channel)
        if state is None:
            return 0
        delivered = 0
        for subscription in list(state.receivers):
            if subscription._offer(item):
                delivered += 1
            else:
                state.receivers.discard(subscription)
        for turns in state.turn_groups.values():
            turns.wake_one()
        return delivered

    def queued(self) -> int:
        """Items queued for subscribers and not yet taken, over every channel."""
        return sum(
            len(subscription._items)
            for state in self._channels.values()
            for subscription in state.receivers
        )

    def has_subscribers(self, channel: str) -> bool:
        state = self._channels.get(channel)
        return state is not None and bool(state.receivers)

    def channels(self) -> frozenset[str]:
        """Channels with at least one subscriber receiving."""
        return frozenset(name for name, state in self._channels.items() if state.receivers)

    def close_all(self) -> None:
        """End every subscription cleanly (each reads what it has queued, then stops), and
        every later one at once. on_last is not called for channels closed this way."""
        self._closed = True
        for state in self._channels.values():
            for subscription in state.receivers:
                subscription._close()
            state.receivers.clear()


@contextmanager
def _taking_turns(
    state: _Channel[Any], subscription: Subscription[Any], turns: Turns | None
) -> Iterator[None]:
    if turns is None:
        yield
        return
    group = state.turn_groups.get(turns.key)
    if group is None:
        group = state.turn_groups[turns.key] = _TurnGroup()
    group.members += 1
    subscription._turns = turns._group = group
    try:
        yield
    finally:
        subscription._turns = turns._group = None
        group.parked.pop(subscription, None)
        group.members -= 1
        if group.members == 0 and state.turn_groups.get(turns.key) is group:
            del state.turn_groups[turns.key]
