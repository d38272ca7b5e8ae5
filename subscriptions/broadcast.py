"""broadcaster's Broadcast with bounded subscriber queues, on our Redis backend.

broadcaster's own Broadcast gives every subscriber an unbounded queue and awaits each put, so
one stalled subscriber grows memory without limit. Here every subscriber gets a `Fanout`
queue of `settings.realtime.max_queue` events; one that falls further behind is closed with
`SubscriberTooSlow` while the others keep receiving. The public interface is broadcaster's:
`connect`, `disconnect`, `publish(channel, message)`, `async with subscribe(channel) as s`,
then `await s.get()` or `async for event in s` (events are broadcaster `Event`s whose
`message` is the published `str`).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from broadcaster import Broadcast, BroadcastBackend, Event

from settings import Settings
from subscriptions.fanout import Fanout, Subscription
from subscriptions.redis_backend import ReconnectHook, RedisPubSubBackend


class BoundedBroadcast(Broadcast):
    def __init__(
        self,
        url: str | None = None,
        *,
        backend: BroadcastBackend | None = None,
        max_queue: int,
    ) -> None:
        super().__init__(url, backend=backend)
        self._max_queue = max_queue
        self._fanout = self._new_fanout()
        self._listening: asyncio.Task[None] | None = None

    def _new_fanout(self) -> Fanout[Event]:
        # The backend subscribes a channel once per process, for its first local subscriber.
        return Fanout(
            self._max_queue, on_first=self._backend.subscribe, on_last=self._backend.unsubscribe
        )

    @property
    def backend(self) -> BroadcastBackend:
        return self._backend

    async def connect(self) -> None:
        if self._fanout.closed:  # connected again after a disconnect
            self._fanout = self._new_fanout()
        await self._backend.connect()
        self._listening = asyncio.create_task(self._listener(), name="opsgraph-broadcast-listener")

    async def disconnect(self) -> None:
        """Stop listening, end every subscription cleanly, then close the backend."""
        listener, self._listening = self._listening, None
        try:
            if listener is not None:
                listener.cancel()
                await asyncio.wait({listener})  # our own cancellation still propagates
                if not listener.cancelled() and listener.exception() is not None:
                    raise RuntimeError("the broadcast listener had failed") from (
                        listener.exception()
                    )
        finally:
            self._fanout.close_all()
            await self._backend.disconnect()

    async def _listener(self) -> None:
        while True:
            event = await self._backend.next_published()
            self._fanout.deliver(event.channel, event)

    # broadcaster types subscribe() as yielding its own unbounded Subscriber; ours yields a
    # Subscription with the same get() / async-for interface.
    @asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[Subscription[Event]]:  # type: ignore[override]
        async with self._fanout.subscribe(channel) as subscription:
            yield subscription


def broadcast_for(
    settings: Settings, *, on_reconnect: ReconnectHook | None = None
) -> BoundedBroadcast:
    """In-process pub/sub without REDIS_URL; Redis, shared by every app process, with it.
    `on_reconnect` runs after Redis came back (never in process: nothing is lost there)."""
    max_queue = settings.realtime.max_queue
    if settings.redis_url is None:
        return BoundedBroadcast("memory://", max_queue=max_queue)
    backend = RedisPubSubBackend(
        settings.redis_url,
        on_reconnect=on_reconnect,
        publish_pool=settings.redis.publish_pool,
        pool_wait_seconds=settings.redis.pool_wait_seconds,
    )
    return BoundedBroadcast(backend=backend, max_queue=max_queue)
