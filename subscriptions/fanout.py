"""Bounded in-process fan-out: one channel's items to every subscriber of it, without ever
waiting for a slow one.

Each subscriber owns a queue of at most `max_queue` items. `deliver` never awaits: a
subscriber whose queue is full is dropped on the spot, its pending items discarded, and its
next `get` raises `SubscriberTooSlow` (it resumes from its last cursor). Everyone else keeps
receiving, and memory stays bounded however far a client falls behind.

`on_first` / `on_last` hooks run when a channel gets its first subscriber and loses its last
one (a Broadcast subscribes and unsubscribes its backend there). They run one at a time per
channel, so a subscriber arriving while the last one is leaving waits for the unsubscribe to
finish and then subscribes again, never the other way round.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Generic, TypeVar

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
            self._changed.clear()
            await self._changed.wait()

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


@dataclass(eq=False)
class _Channel(Generic[T]):
    receivers: set[Subscription[T]] = field(default_factory=set)
    # Subscribers inside `subscribe` (joining, active or leaving): the channel's bookkeeping
    # is forgotten only when this is back to 0.
    joined: int = 0
    # Whether on_first ran and on_last has not since; changed only under `lock`.
    attached: bool = False
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


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
    async def subscribe(self, channel: str) -> AsyncIterator[Subscription[T]]:
        """Receive `channel`'s items until the block exits. If on_first fails, the error
        propagates and nothing stays subscribed."""
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
        return delivered

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
