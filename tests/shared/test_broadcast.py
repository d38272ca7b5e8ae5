"""Realtime fan-out: BoundedBroadcast on the in-process backend and on Redis (our own
RedisPubSubBackend), and the bounded Fanout under it.

No database: these tests run once per pytest run. Redis tests use the shared Redis
(`redis_url`: skipped when unreachable, failed under OPSGRAPH_REQUIRE_SERVICES=1) with a
unique channel each, since pub/sub channels are shared by every database number; the restart
and connection-count tests start a private `redis-server` they may kill.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
import redis.asyncio as redis
from broadcaster import Event

from settings import RealtimeSettings, Settings
from subscriptions.broadcast import BoundedBroadcast, broadcast_for
from subscriptions.fanout import Fanout, SubscriberTooSlow, Subscription, SubscriptionClosed
from subscriptions.redis_backend import Backoff, PubSubUnavailable, RedisPubSubBackend
from tests.support import services
from tests.support.private_redis import PrivateRedis

WAIT = 5.0  # seconds before a missing message fails the test instead of hanging it


def unique_channel(name: str = "test") -> str:
    return f"opsgraph-test:{name}:{uuid.uuid4().hex}"


async def wait_until(condition: Callable[[], bool]) -> None:
    for _ in range(int(WAIT / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("timed out waiting for a condition")


async def next_message(subscription: Subscription[Event]) -> str:
    event = await asyncio.wait_for(subscription.get(), WAIT)
    return event.message


MakeBroadcast = Callable[..., Awaitable[BoundedBroadcast]]


@pytest.fixture(params=["memory", "redis"])
def broadcast_redis_url(request: pytest.FixtureRequest) -> str | None:
    """None: in process; else the shared Redis (requested only for the Redis variant)."""
    return request.getfixturevalue("redis_url") if request.param == "redis" else None


@pytest.fixture
async def make_broadcast(broadcast_redis_url: str | None) -> AsyncIterator[MakeBroadcast]:
    """Connected BoundedBroadcasts on one backend kind (each one an app process), disconnected
    at the end."""
    made: list[BoundedBroadcast] = []

    async def make(max_queue: int = 100) -> BoundedBroadcast:
        realtime = RealtimeSettings(max_queue=max_queue)
        settings = Settings(redis_url=broadcast_redis_url, realtime=realtime)
        broadcast = broadcast_for(settings)
        await broadcast.connect()
        made.append(broadcast)
        return broadcast

    yield make
    for broadcast in made:
        await broadcast.disconnect()


class RedisProxy:
    """A TCP proxy to a private Redis that can hold every client-to-server chunk back
    `delay` seconds (a slow link), or go silent on the connections open now without closing
    them (a peer gone without a FIN); connections opened later work normally."""

    def __init__(self, target_port: int, delay: float = 0) -> None:
        self._target_port = target_port
        self._delay = delay
        self._pipes: set[asyncio.Task[None]] = set()
        self._server: asyncio.Server | None = None
        self._connections = 0
        self._silent_below = 0  # connections numbered below this forward nothing

    async def start(self) -> str:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        return f"redis://127.0.0.1:{port}/0"

    def silence_open_connections(self) -> None:
        self._silent_below = self._connections

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        number = self._connections
        self._connections += 1
        upstream_reader, upstream_writer = await asyncio.open_connection(
            "127.0.0.1", self._target_port
        )
        for pipe in (
            self._pipe(number, reader, upstream_writer, self._delay),
            self._pipe(number, upstream_reader, writer, 0),
        ):
            task = asyncio.create_task(pipe)
            self._pipes.add(task)
            task.add_done_callback(self._pipes.discard)

    async def _pipe(
        self,
        number: int,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        delay: float,
    ) -> None:
        try:
            while data := await reader.read(65536):
                if number < self._silent_below:
                    continue
                await asyncio.sleep(delay)
                writer.write(data)
                await writer.drain()
        except ConnectionError:
            pass
        finally:
            writer.close()

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._pipes):
            task.cancel()
        if self._pipes:
            await asyncio.wait(set(self._pipes))


@pytest.fixture
async def private_redis() -> AsyncIterator[PrivateRedis]:
    if shutil.which("redis-server") is None:
        services.unavailable("redis-server", "not on PATH")
    server = PrivateRedis()
    await server.start()
    try:
        yield server
    finally:
        await server.kill()


# --- BoundedBroadcast, in process and on Redis ---------------------------------------------


async def test_a_message_reaches_every_subscriber_of_its_channel_and_no_other(make_broadcast):
    broadcast = await make_broadcast()
    orders, jobs = unique_channel("orders"), unique_channel("jobs")
    async with (
        broadcast.subscribe(orders) as first,
        broadcast.subscribe(orders) as second,
        broadcast.subscribe(jobs) as other,
    ):
        await broadcast.publish(orders, "order 1 changed")
        assert await next_message(first) == "order 1 changed"
        assert await next_message(second) == "order 1 changed"
        # Had the order message reached the jobs subscriber, it would come before this one.
        await broadcast.publish(jobs, "job 7 changed")
        assert await next_message(other) == "job 7 changed"


async def test_a_publish_right_after_subscribing_is_always_delivered(make_broadcast):
    """broadcaster's bundled Redis backend loses some of these (it reports the subscription
    before Redis has it). On a local Redis a SUBSCRIBE nearly always beats the PUBLISH anyway;
    the slow-link test below is the one that fails without waiting for the confirmation."""
    broadcast = await make_broadcast()
    channel = unique_channel()
    for attempt in range(200):
        async with broadcast.subscribe(channel) as subscription:
            await broadcast.publish(channel, f"message {attempt}")
            assert await next_message(subscription) == f"message {attempt}"


async def test_two_app_processes_on_one_redis_both_receive(redis_url):
    settings = Settings(redis_url=redis_url)
    first, second = broadcast_for(settings), broadcast_for(settings)
    assert isinstance(first.backend, RedisPubSubBackend)
    await first.connect()
    await second.connect()
    channel = unique_channel()
    try:
        async with first.subscribe(channel) as here, second.subscribe(channel) as there:
            await first.publish(channel, "from the first process")
            await second.publish(channel, "from the second process")
            for subscription in (here, there):
                assert await next_message(subscription) == "from the first process"
                assert await next_message(subscription) == "from the second process"
    finally:
        await first.disconnect()
        await second.disconnect()


async def test_a_slow_subscriber_is_closed_while_a_fast_one_receives_everything(make_broadcast):
    broadcast = await make_broadcast(max_queue=5)
    channel = unique_channel()
    async with broadcast.subscribe(channel) as fast:
        async with broadcast.subscribe(channel) as slow:
            for number in range(6):  # the sixth does not fit in the slow one's queue
                await broadcast.publish(channel, f"event {number}")
                assert await next_message(fast) == f"event {number}"
            assert slow.overflowed
            with pytest.raises(SubscriberTooSlow):
                await slow.get()
            assert not fast.overflowed
        # The slow one has left; the channel stays subscribed for the fast one.
        for number in range(6, 20):
            await broadcast.publish(channel, f"event {number}")
            assert await next_message(fast) == f"event {number}"


async def test_a_subscriber_exactly_max_queue_behind_is_not_closed(make_broadcast):
    broadcast = await make_broadcast(max_queue=5)
    channel = unique_channel()
    expected = [f"event {number}" for number in range(5)]
    async with broadcast.subscribe(channel) as reader, broadcast.subscribe(channel) as patient:
        for message in expected:
            await broadcast.publish(channel, message)
        assert [await next_message(reader) for _ in expected] == expected
        # Each event reached both in the same step: the patient one holds all five unread.
        assert not patient.overflowed
        assert [await next_message(patient) for _ in expected] == expected


async def test_disconnect_ends_every_subscription_cleanly(make_broadcast):
    broadcast = await make_broadcast()
    channel = unique_channel()
    received: list[str] = []

    async def consume() -> None:
        async with broadcast.subscribe(channel) as subscription:
            subscribed.set()
            async for event in subscription:
                received.append(event.message)

    subscribed = asyncio.Event()
    consumer = asyncio.create_task(consume())
    await asyncio.wait_for(subscribed.wait(), WAIT)
    await broadcast.publish(channel, "before shutdown")
    await wait_until(lambda: bool(received))
    await broadcast.disconnect()
    await asyncio.wait_for(consumer, WAIT)  # the loop ended: no error, no hang
    assert received == ["before shutdown"]
    names = {task.get_name() for task in asyncio.all_tasks()}
    assert not {"opsgraph-broadcast-listener", "opsgraph-pubsub-reader"} & names


# --- Redis specifics -----------------------------------------------------------------------


async def numsub(client: redis.Redis, channel: str) -> int:
    ((_, count),) = await client.pubsub_numsub(channel)
    return int(count)


async def test_a_publish_from_elsewhere_right_after_subscribing_is_delivered_over_a_slow_link(
    private_redis,
):
    proxy = RedisProxy(private_redis.port, delay=0.02)
    broadcast = broadcast_for(Settings(redis_url=await proxy.start()))
    other_process = redis.Redis.from_url(private_redis.url)
    channel = unique_channel()
    try:
        await broadcast.connect()
        for attempt in range(20):
            async with broadcast.subscribe(channel) as subscription:
                await other_process.publish(channel, f"message {attempt}")
                assert await next_message(subscription) == f"message {attempt}"
    finally:
        await broadcast.disconnect()
        await other_process.aclose()
        await proxy.close()


async def test_a_silent_connection_is_noticed_by_ping_and_replaced(private_redis, caplog):
    caplog.set_level(logging.INFO, logger="opsgraph.pubsub")
    proxy = RedisProxy(private_redis.port)
    reconnections: list[bool] = []

    async def on_reconnect() -> None:
        reconnections.append(True)

    backend = RedisPubSubBackend(
        await proxy.start(),
        on_reconnect=on_reconnect,
        ping_interval=0.2,
        backoff=Backoff(initial=0.05, maximum=0.2),
    )
    broadcast = BoundedBroadcast(backend=backend, max_queue=10)
    other_process = redis.Redis.from_url(private_redis.url)
    channel = unique_channel()
    try:
        await broadcast.connect()
        async with broadcast.subscribe(channel) as subscription:
            await other_process.publish(channel, "before")
            assert await next_message(subscription) == "before"
            proxy.silence_open_connections()
            await other_process.publish(channel, "lost in the silence")
            await wait_until(lambda: bool(reconnections))
            await other_process.publish(channel, "after")
            assert await next_message(subscription) == "after"
    finally:
        await broadcast.disconnect()
        await other_process.aclose()
        await proxy.close()
    (lost,) = [r for r in caplog.records if "lost" in r.getMessage()]
    assert "PING" in lost.getMessage()


async def test_redis_is_subscribed_once_per_process_and_unsubscribed_with_the_last(redis_url):
    broadcast = broadcast_for(Settings(redis_url=redis_url))
    await broadcast.connect()
    client = redis.Redis.from_url(redis_url)
    channel = unique_channel()
    try:
        assert await numsub(client, channel) == 0
        async with broadcast.subscribe(channel):
            assert await numsub(client, channel) == 1
            async with broadcast.subscribe(channel):
                assert await numsub(client, channel) == 1
            assert await numsub(client, channel) == 1
        assert await numsub(client, channel) == 0
        async with broadcast.subscribe(channel):  # and again
            assert await numsub(client, channel) == 1
        assert await numsub(client, channel) == 0
    finally:
        await broadcast.disconnect()
        await client.aclose()


async def test_the_backend_reconnects_by_itself_after_redis_restarts(private_redis, caplog):
    caplog.set_level(logging.INFO, logger="opsgraph.pubsub")
    reconnections: list[float] = []

    async def on_reconnect() -> None:
        reconnections.append(asyncio.get_running_loop().time())

    backend = RedisPubSubBackend(
        private_redis.url, on_reconnect=on_reconnect, backoff=Backoff(initial=0.05, maximum=0.5)
    )
    broadcast = BoundedBroadcast(backend=backend, max_queue=100)
    await broadcast.connect()
    channel, leaving = unique_channel(), unique_channel("leaving")
    try:
        async with broadcast.subscribe(channel) as first, broadcast.subscribe(channel) as second:
            leaver = broadcast.subscribe(leaving)
            await leaver.__aenter__()
            await broadcast.publish(channel, "before")
            assert await next_message(first) == await next_message(second) == "before"

            await private_redis.kill()
            with pytest.raises(PubSubUnavailable, match="cannot publish"):
                await broadcast.publish(channel, "while down")
            with pytest.raises(PubSubUnavailable):  # a new channel cannot be confirmed now
                async with broadcast.subscribe(unique_channel("new")):
                    pass
            await leaver.__aexit__(None, None, None)  # leaving during the outage is fine
            await asyncio.sleep(2)
            assert reconnections == []
            restarted_at = asyncio.get_running_loop().time()
            await private_redis.start()
            await wait_until(lambda: bool(reconnections))
            assert len(reconnections) == 1
            assert reconnections[0] - restarted_at < 2  # within one backoff step or so

            # on_reconnect runs once resubscribed: a publish from there on is delivered
            # to the existing subscribers, who did nothing.
            await broadcast.publish(channel, "after")
            assert await next_message(first) == await next_message(second) == "after"
            # Resubscribed: the channels still wanted, not the one left meanwhile.
            probe = redis.Redis.from_url(private_redis.url)
            assert await numsub(probe, channel) == 1
            assert await numsub(probe, leaving) == 0
            await probe.aclose()
    finally:
        await broadcast.disconnect()

    records = [r for r in caplog.records if r.name == "opsgraph.pubsub"]
    assert [r.levelno for r in records] == [logging.WARNING, logging.INFO]
    assert "lost" in records[0].getMessage()
    assert "back" in records[1].getMessage()
    assert all(r.exc_info is None for r in records)  # one line each, no traceback


async def test_disconnect_closes_every_redis_connection(private_redis):
    client = redis.Redis.from_url(private_redis.url)
    try:
        broadcast = broadcast_for(Settings(redis_url=private_redis.url))
        await broadcast.connect()
        async with broadcast.subscribe(unique_channel()) as subscription:
            assert len(await client.client_list()) == 3  # ours, the publisher, the subscriber
            await broadcast.disconnect()
            with pytest.raises(SubscriptionClosed):
                await asyncio.wait_for(subscription.get(), WAIT)
        # Redis notices a closed connection on its next event loop turn: allow it a moment.
        for _ in range(100):
            connections = len(await client.client_list())
            if connections == 1:
                break
            await asyncio.sleep(0.01)
        assert connections == 1  # only this test's own client is left
    finally:
        await client.aclose()


async def test_connecting_to_an_unreachable_redis_fails_at_once():
    backend = RedisPubSubBackend("redis://127.0.0.1:1/0")
    with pytest.raises(PubSubUnavailable, match="Redis is unreachable"):
        await asyncio.wait_for(backend.connect(), WAIT)
    await backend.disconnect()


# --- Fanout ----------------------------------------------------------------------------


def recording_hooks(calls: list[str]) -> dict[str, Callable[[str], Awaitable[None]]]:
    async def on_first(channel: str) -> None:
        calls.append(f"first {channel}")

    async def on_last(channel: str) -> None:
        calls.append(f"last {channel}")

    return {"on_first": on_first, "on_last": on_last}


async def test_fanout_delivers_to_each_subscriber_of_the_channel_and_counts_them():
    fanout: Fanout[int] = Fanout(10)
    assert fanout.deliver("a", 0) == 0
    async with fanout.subscribe("a") as one, fanout.subscribe("a") as two:
        async with fanout.subscribe("b") as other:
            assert fanout.channels() == {"a", "b"}
            assert fanout.deliver("a", 1) == 2
            assert fanout.deliver("b", 2) == 1
            assert await other.get() == 2
        assert await one.get() == await two.get() == 1
        assert fanout.channels() == {"a"}
        assert not fanout.has_subscribers("b")
    assert not fanout.has_subscribers("a")


async def test_fanout_runs_its_hooks_for_the_first_and_last_subscriber_only():
    calls: list[str] = []
    fanout: Fanout[int] = Fanout(10, **recording_hooks(calls))
    async with fanout.subscribe("a"), fanout.subscribe("a"), fanout.subscribe("b"):
        assert calls == ["first a", "first b"]
    assert sorted(calls) == ["first a", "first b", "last a", "last b"]


async def test_a_subscriber_arriving_while_the_last_leaves_subscribes_again_after():
    calls: list[str] = []
    leaving = asyncio.Event()
    release = asyncio.Event()

    async def slow_on_last(channel: str) -> None:
        leaving.set()
        await release.wait()
        calls.append(f"last {channel}")

    fanout: Fanout[int] = Fanout(
        10, on_first=recording_hooks(calls)["on_first"], on_last=slow_on_last
    )

    async def subscribe_and_leave() -> None:
        async with fanout.subscribe("a"):
            pass

    leaver = asyncio.create_task(subscribe_and_leave())
    await asyncio.wait_for(leaving.wait(), WAIT)
    arriving = fanout.subscribe("a")
    entering = asyncio.create_task(arriving.__aenter__())
    await asyncio.sleep(0.01)
    assert not entering.done()  # waits for the unsubscribe instead of racing it
    release.set()
    await leaver
    subscription = await asyncio.wait_for(entering, WAIT)
    assert calls == ["first a", "last a", "first a"]
    assert fanout.deliver("a", 1) == 1
    assert await subscription.get() == 1
    await arriving.__aexit__(None, None, None)


async def test_fanout_overflow_drops_the_pending_items_and_closes_only_that_subscriber():
    fanout: Fanout[int] = Fanout(2)
    async with fanout.subscribe("a") as slow, fanout.subscribe("a") as fast:
        for item in range(3):
            fanout.deliver("a", item)
            assert await fast.get() == item
        assert slow.overflowed
        with pytest.raises(SubscriberTooSlow):
            await slow.get()
        assert fanout.deliver("a", 3) == 1
        assert await fast.get() == 3


async def test_fanout_close_all_ends_every_subscription_after_what_it_queued():
    calls: list[str] = []
    fanout: Fanout[int] = Fanout(10, **recording_hooks(calls))
    async with fanout.subscribe("a") as subscription:
        fanout.deliver("a", 1)
        fanout.close_all()
        assert [item async for item in subscription] == [1]
        assert fanout.deliver("a", 2) == 0
    assert calls == ["first a"]  # closed for shutdown: the backend is not touched again
    async with fanout.subscribe("b") as late:
        assert [item async for item in late] == []


async def test_a_failing_first_hook_leaves_nothing_subscribed():
    calls: list[str] = []

    async def unavailable(channel: str) -> None:
        raise PubSubUnavailable("Redis is unreachable")

    fanout: Fanout[int] = Fanout(
        10, on_first=unavailable, on_last=recording_hooks(calls)["on_last"]
    )
    with pytest.raises(PubSubUnavailable):
        async with fanout.subscribe("a"):
            pass
    assert not fanout.has_subscribers("a")
    assert calls == []
