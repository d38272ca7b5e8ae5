"""A broadcaster backend on Redis pub/sub that confirms subscriptions and survives restarts.

One dedicated connection subscribes; one reader task owns everything that arrives on it:
messages, the confirmations `subscribe`/`unsubscribe` wait for, and PING replies. So
`subscribe` returns only once Redis has confirmed it, and a publish right after is delivered.
Replies are read as push messages, so this works on RESP3 (redis-py 8's default) and RESP2.

When the connection drops, the reader reconnects with backoff (0.1 s doubling to 2 s by
default), resubscribes every channel, waits for Redis to confirm them all, and then awaits
`on_reconnect`: messages published while Redis was away are lost, so the caller catches up
from its own records there. It is awaited before any newer message is read, so the catch-up
comes first; keep it bounded. `next_published` simply waits across a reconnect.

`publish` does not wait for Redis to come back: it retries once at once on a fresh connection
(a pooled one may have died with a restart) and otherwise raises `PubSubUnavailable`, so a
mutation is never held up by an outage; subscribers catch up from the change log.

A silent connection is probed with PING every `ping_interval` seconds, so a half-open TCP
connection (peer gone without a FIN) counts as dropped after at most twice that.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any, NoReturn

import redis.asyncio as redis
from broadcaster import BroadcastBackend, Event
from redis.asyncio.connection import AbstractConnection, ConnectionPool
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError, ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

from observability.metrics import REDIS_RECONNECTS
from redis_outage import MeasuredPool, PoolTimeout

log = logging.getLogger("opsgraph.pubsub")

ReconnectHook = Callable[[], Awaitable[None]]

# What a lost or unreachable Redis raises: redis-py's own errors, socket errors, and
# timeouts (the builtin TimeoutError is an OSError).
_UNREACHABLE: tuple[type[Exception], ...] = (RedisError, OSError)
_PUBLISH_FAILURES: tuple[type[Exception], ...] = (*_UNREACHABLE, PoolTimeout)


class PubSubUnavailable(Exception):
    """Redis cannot be reached now: on connect, publish, or subscribe during an outage."""


@dataclass(frozen=True)
class Backoff:
    """Seconds between reconnection attempts: `initial`, times `factor`, up to `maximum`."""

    initial: float = 0.1
    maximum: float = 2.0
    factor: float = 2.0

    def delays(self) -> Iterator[float]:
        delay = self.initial
        while True:
            yield delay
            delay = min(delay * self.factor, self.maximum)


class RedisPubSubBackend(BroadcastBackend):
    def __init__(
        self,
        url: str,
        *,
        on_reconnect: ReconnectHook | None = None,
        backoff: Backoff = Backoff(),
        ping_interval: float = 15.0,
        reply_timeout: float = 5.0,
        publish_pool: int = 20,
        pool_wait_seconds: float = 2.0,
    ) -> None:
        # BroadcastBackend.__init__ only raises NotImplementedError, so it is not called.
        self._on_reconnect = on_reconnect
        self._backoff = backoff
        self._ping_interval = ping_interval
        self._reply_timeout = reply_timeout
        # Only a factory for the subscriber connection (URL, credentials, TLS); the reader
        # reconnects by itself, so redis-py's own retries are off there.
        self._subscriber_pool = ConnectionPool.from_url(
            url,
            socket_connect_timeout=reply_timeout,
            socket_timeout=reply_timeout,
            socket_keepalive=True,
            retry=Retry(NoBackoff(), 0),
        )
        # Commits publish concurrently: a pool of its own that waits for a free connection
        # (redis_outage.py) rather than refusing the 101st publish of a burst.
        self._publisher = redis.Redis.from_pool(  # owns the pool: aclose() closes it
            MeasuredPool.from_url(
                url,
                purpose="publish",
                max_connections=publish_pool,
                timeout=pool_wait_seconds,
                socket_connect_timeout=reply_timeout,
                socket_timeout=reply_timeout,
                retry=Retry(NoBackoff(), 1),
            )
        )
        self._channels: set[str] = set()
        # ("subscribe" | "unsubscribe", channel) -> callers waiting for Redis's confirmation.
        self._awaiting: dict[tuple[str, str], deque[asyncio.Future[None]]] = {}
        self._events: asyncio.Queue[Event] = asyncio.Queue()
        # The live subscriber connection; None while (re)connecting or disconnected.
        self._connection: AbstractConnection | None = None
        self._reader: asyncio.Task[None] | None = None

    async def connect(self) -> None:
        """Return once Redis answers both connections; raise PubSubUnavailable if not."""
        if self._reader is not None:
            return
        try:
            await self._publisher.ping()
            connection = await self._open()
        except _UNREACHABLE as exc:
            raise PubSubUnavailable(f"Redis is unreachable: {_describe(exc)}") from exc
        self._connection = connection
        self._reader = asyncio.create_task(
            self._read_forever(connection), name="opsgraph-pubsub-reader"
        )

    async def disconnect(self) -> None:
        reader, self._reader = self._reader, None
        if reader is not None:
            reader.cancel()
            await asyncio.wait({reader})  # our own cancellation still propagates
            if not reader.cancelled() and reader.exception() is not None:
                log.error("Redis pub/sub reader had failed: %s", _describe(reader.exception()))
        connection, self._connection = self._connection, None
        if connection is not None:
            await _close(connection, wait=True)
        self._channels.clear()
        for waiting in self._awaiting.values():
            for future in waiting:
                if not future.done():
                    future.set_exception(PubSubUnavailable("the backend was disconnected"))
        self._awaiting.clear()
        self._events = asyncio.Queue()  # nothing from this connection leaks into a next one
        await self._publisher.aclose()

    async def subscribe(self, channel: str) -> None:
        """Return once Redis confirmed the subscription, within `reply_timeout` (if the
        connection drops after SUBSCRIBE was sent, the reconnection's resubscription confirms
        it); raise PubSubUnavailable otherwise, or at once while Redis is being reconnected.
        Callers serialize subscribe/unsubscribe per channel (Fanout's hooks do)."""
        if channel in self._channels:
            return
        connection = self._connection
        if connection is None or not connection.is_connected:
            raise PubSubUnavailable("Redis is unreachable: reconnecting")
        self._channels.add(channel)
        confirmed = self._expect("subscribe", channel)
        try:
            async with asyncio.timeout(self._reply_timeout):
                await connection.send_command("SUBSCRIBE", channel, check_health=False)
                await confirmed
        except _UNREACHABLE as exc:
            self._channels.discard(channel)
            raise PubSubUnavailable(
                f"Redis did not confirm the subscription to {channel!r}: {_describe(exc)}"
            ) from exc
        except BaseException:
            self._channels.discard(channel)
            raise
        finally:
            self._forget("subscribe", channel, confirmed)

    async def unsubscribe(self, channel: str) -> None:
        """Return once Redis confirmed it; never raises for a lost connection (the channel
        went with it, and it is not resubscribed)."""
        if channel not in self._channels:
            return
        self._channels.discard(channel)
        connection = self._connection
        if connection is None or not connection.is_connected:
            return
        confirmed = self._expect("unsubscribe", channel)
        try:
            async with asyncio.timeout(self._reply_timeout):
                await connection.send_command("UNSUBSCRIBE", channel, check_health=False)
                await confirmed
        except _UNREACHABLE:
            pass  # the reader notices the drop and reconnects without this channel
        finally:
            self._forget("unsubscribe", channel, confirmed)

    async def publish(self, channel: str, message: Any) -> None:
        try:
            await self._publisher.publish(channel, message)
        except _PUBLISH_FAILURES as exc:
            raise PubSubUnavailable(
                f"cannot publish to {channel!r}: Redis is unreachable ({_describe(exc)})"
            ) from exc

    async def next_published(self) -> Event:
        return await self._events.get()

    async def _open(self) -> AbstractConnection:
        # redis-py leaves these two untyped.
        connection: AbstractConnection = self._subscriber_pool.make_connection()  # type: ignore[no-untyped-call]
        try:
            await connection.connect()  # type: ignore[no-untyped-call]
        except BaseException:
            await _close(connection, wait=False)
            raise
        return connection

    async def _read_forever(self, connection: AbstractConnection) -> None:
        while True:
            try:
                await self._pump(connection)
            except _UNREACHABLE as exc:
                self._connection = None
                log.warning("Redis pub/sub connection lost (%s); reconnecting", _describe(exc))
            except Exception:
                # A bug, not an outage: say so loudly, then recover like from a drop rather
                # than leave every subscriber waiting on a dead reader.
                self._connection = None
                log.exception("Redis pub/sub reader failed; reconnecting")
            await _close(connection, wait=False)
            self._release("unsubscribe")  # those channels went with the connection
            started = asyncio.get_running_loop().time()
            connection, attempts = await self._reconnect()
            REDIS_RECONNECTS.inc()
            log.info(
                "Redis pub/sub connection back after %.1f s (%d attempts), "
                "%d channels resubscribed",
                asyncio.get_running_loop().time() - started,
                attempts,
                len(self._channels),
            )
            if self._on_reconnect is not None:
                try:
                    await self._on_reconnect()
                except Exception:
                    log.exception("on_reconnect failed after the Redis pub/sub reconnection")

    async def _pump(self, connection: AbstractConnection) -> NoReturn:
        """Handle what arrives until the connection fails; PING it when it goes quiet."""
        awaiting_pong = False
        while True:
            try:
                reply = await connection.read_response(
                    timeout=self._ping_interval, disconnect_on_error=False, push_request=True
                )
            except ResponseError as exc:  # an error reply (e.g. a refused channel): not a drop
                log.warning("Redis pub/sub error reply: %s", exc)
                continue
            if reply is None:  # quiet for ping_interval
                if awaiting_pong:
                    raise RedisTimeoutError(f"no reply to PING within {self._ping_interval} s")
                await connection.send_command("PING", check_health=False)
                awaiting_pong = True
                continue
            awaiting_pong = False
            self._dispatch(reply)

    async def _reconnect(self) -> tuple[AbstractConnection, int]:
        """Connect and resubscribe, retrying with backoff until it works."""
        attempts = 0
        for delay in self._backoff.delays():
            attempts += 1
            connection: AbstractConnection | None = None
            try:
                connection = await self._open()
                await self._resubscribe(connection)
            except BaseException as exc:  # also cancelled by disconnect(): close it either way
                if connection is not None:
                    await _close(connection, wait=False)
                if not isinstance(exc, _UNREACHABLE):
                    raise
                await asyncio.sleep(delay)
                continue
            self._connection = connection
            return connection, attempts
        raise AssertionError("Backoff.delays() never ends")

    async def _resubscribe(self, connection: AbstractConnection) -> None:
        """Subscribe every channel again and wait until Redis confirmed them all (messages
        on the first ones may arrive meanwhile: they are delivered as usual)."""
        channels = set(self._channels)
        if not channels:
            return
        async with asyncio.timeout(self._reply_timeout):
            await connection.send_command("SUBSCRIBE", *sorted(channels), check_health=False)
            while channels:
                reply = await connection.read_response(disconnect_on_error=False, push_request=True)
                if self._dispatch(reply) == "subscribe":
                    channels.discard(_text(reply[1]))

    def _dispatch(self, reply: Any) -> str | None:
        """Queue a message or settle a confirmation; returns the reply's kind."""
        if not isinstance(reply, list) or len(reply) != 3:
            return None  # e.g. the ["pong", ""] answer to our PING
        kind, channel = _text(reply[0]), _text(reply[1])
        if kind == "message":
            # Messages still arrive between our UNSUBSCRIBE and its confirmation.
            if channel in self._channels:
                self._events.put_nowait(Event(channel=channel, message=_text(reply[2])))
        elif kind in ("subscribe", "unsubscribe"):
            waiting = self._awaiting.get((kind, channel))
            while waiting:
                future = waiting.popleft()
                if not future.done():
                    future.set_result(None)
                    break
        return kind

    def _expect(self, kind: str, channel: str) -> asyncio.Future[None]:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._awaiting.setdefault((kind, channel), deque()).append(future)
        return future

    def _forget(self, kind: str, channel: str, future: asyncio.Future[None]) -> None:
        waiting = self._awaiting.get((kind, channel))
        if waiting is not None:
            if future in waiting:
                waiting.remove(future)
            if not waiting:
                del self._awaiting[(kind, channel)]

    def _release(self, kind: str) -> None:
        for (waiting_kind, _), waiting in self._awaiting.items():
            if waiting_kind == kind:
                for future in waiting:
                    if not future.done():
                        future.set_result(None)


async def _close(connection: AbstractConnection, *, wait: bool) -> None:
    with contextlib.suppress(*_UNREACHABLE):  # closing a connection that already failed
        await connection.disconnect(nowait=not wait)


def _text(value: Any) -> str:
    return value.decode("utf-8", errors="replace") if isinstance(value, bytes) else str(value)


def _describe(exc: BaseException | None) -> str:
    detail = str(exc)
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
