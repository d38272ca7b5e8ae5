"""Redis stopped for 5 s and restarted in the middle of a stream: subscribers on two app
processes still end with every event exactly once, in cursor order.

Redis here is a private `redis-server` this test starts on a free port and stops (never the
shared one). The two app processes are two `serve(...)` in this test's event loop: each has
its own change hub, database pool and Redis connections, which is all an outage touches,
and being in one process lets the test read the pub/sub backend's log. Each process commits
half of the mutations. Subscribers keep a resuming client: if their connection drops, they
subscribe again with `after` set to the last cursor they received.

poll_seconds is 2 s here so that how an event arrived shows in its latency: pub/sub brings
it within milliseconds, the change-log poll up to 2 s later.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
import statistics
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

import pytest
import redis.asyncio as redis
import websockets

from auth.permissions import Role
from db.change_log import changes_since, cursor_state
from db.engine import Database
from db.publications import ALL_JOBS, order_channel
from resolvers.ids import decode_id
from resolvers.realtime import decode_cursor, encode_cursor
from settings import Settings
from tests import order_factories, services
from tests.graphql import GraphQLClient, bearer
from tests.live import Server, free_port, serve, subscribe
from tests.test_routing import approved, jobs_of, world
from tests.test_subscriptions import ADD_NOTE, PRIORITY, live, token

ORDER_CHANGED = """
subscription($id: ID!, $after: String) {
  orderChanged(id: $id, after: $after) { cursor commitTimestamp eventType order { priority } }
}"""
JOB_CHANGED = """
subscription($after: String) {
  jobChanged(after: $after) { cursor commitTimestamp eventType note { content } }
}"""

POLL_SECONDS = 2.0
OUTAGE_SECONDS = 5.0
RECONNECTED = "Redis pub/sub connection back after"


# -- a private Redis ---------------------------------------------------------------------------


class PrivateRedis:
    """A throwaway redis-server (no persistence) this test may stop and start."""

    def __init__(self, executable: str, port: int) -> None:
        self.executable = executable
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self._process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self._process = await asyncio.create_subprocess_exec(
            self.executable,
            *("--port", str(self.port), "--bind", "127.0.0.1"),
            *("--save", "", "--appendonly", "no"),
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)
        try:
            async with asyncio.timeout(10):
                while True:
                    with contextlib.suppress(redis.ConnectionError, OSError):
                        if await client.ping():
                            return
                    await asyncio.sleep(0.05)
        finally:
            await client.aclose()

    async def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.returncode is None:
            process.terminate()
            await process.wait()


@asynccontextmanager
async def private_redis() -> AsyncIterator[PrivateRedis]:
    executable = shutil.which("redis-server")
    if executable is None:
        services.unavailable("redis-server", "not on PATH; the outage test starts its own")
    assert executable is not None
    server = PrivateRedis(executable, free_port())
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


class PubSubLog(logging.Handler):
    """The pub/sub backend's log lines (both processes log to the same logger here), and a
    way to wait for the reconnections."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []
        self._changed = asyncio.Event()

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
        self._changed.set()

    def reconnections(self) -> int:
        return sum(RECONNECTED in r.getMessage() for r in self.records)

    async def wait_for_reconnections(self, count: int) -> None:
        while self.reconnections() < count:
            self._changed.clear()
            await self._changed.wait()


@contextlib.contextmanager
def watching_pubsub_log() -> Iterator[PubSubLog]:
    logger = logging.getLogger("opsgraph.pubsub")
    handler, level = PubSubLog(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


# -- a subscriber that resumes by cursor --------------------------------------------------------


@dataclass(frozen=True)
class Received:
    cursor: int
    committed_at: datetime
    received_at: datetime

    @property
    def latency(self) -> float:
        return (self.received_at - self.committed_at).total_seconds()


@dataclass
class ResumingSubscriber:
    """Follows one subscription; when its connection drops it subscribes again with `after`
    = the last cursor received (or the stream's start, if nothing arrived yet)."""

    name: str
    url: str
    authorization: str
    query: str
    variables: dict[str, Any]
    root_field: str
    start_cursor: int | None = None
    received: list[Received] = field(default_factory=list)
    connections: int = 0
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task[None] | None = None

    @property
    def resumes(self) -> int:
        return max(self.connections - 1, 0)

    async def run(self) -> None:
        while True:
            last = self.received[-1].cursor if self.received else self.start_cursor
            after = {} if self.connections == 0 or last is None else {"after": encode_cursor(last)}
            self.connections += 1
            try:
                async with subscribe(
                    self.url, self.authorization, self.query, {**self.variables, **after}
                ) as stream:
                    while True:
                        payload = await stream.next(wait=3600)
                        if _resumable(payload):
                            break
                        assert "data" in payload, f"{self.name}: {payload}"
                        event = payload["data"][self.root_field]
                        self.received.append(
                            Received(
                                cursor=decode_cursor(event["cursor"]),
                                committed_at=datetime.fromisoformat(event["commitTimestamp"]),
                                received_at=datetime.now(UTC),
                            )
                        )
                        self.arrived.set()
            except (websockets.ConnectionClosed, OSError):
                await asyncio.sleep(0.1)  # dropped (or the server is busy): resume by cursor


def _resumable(payload: dict[str, Any]) -> bool:
    """A too-slow subscriber is closed with SUBSCRIBER_TOO_SLOW: it resumes by cursor."""
    errors = payload.get("errors") or []
    return any(e.get("extensions", {}).get("code") == "SUBSCRIBER_TOO_SLOW" for e in errors)


async def wait_for_all(
    subscribers: list[ResumingSubscriber], expected: Callable[[ResumingSubscriber], int]
) -> None:
    """Until each has as many events as expected (a subscriber that failed fails the test)."""
    async with asyncio.timeout(POLL_SECONDS * 5):
        for subscriber in subscribers:
            while len(subscriber.received) < expected(subscriber):
                subscriber.arrived.clear()
                arrived = asyncio.ensure_future(subscriber.arrived.wait())
                assert subscriber.task is not None
                await asyncio.wait({arrived, subscriber.task}, return_when=asyncio.FIRST_COMPLETED)
                arrived.cancel()
                if subscriber.task.done():
                    subscriber.task.result()
                    raise AssertionError(f"{subscriber.name} stopped")


# -- the test ----------------------------------------------------------------------------------


@pytest.fixture
def outage_settings(settings: Settings) -> Settings:
    return replace(settings, realtime=replace(settings.realtime, poll_seconds=POLL_SECONDS))


@dataclass
class Phase:
    name: str
    started: datetime
    ended: datetime | None = None

    def holds(self, moment: datetime) -> bool:
        return self.started <= moment and (self.ended is None or moment < self.ended)


async def test_every_subscriber_gets_every_event_once_across_a_redis_outage(
    outage_settings: Settings, database: Database
) -> None:
    with watching_pubsub_log() as pubsub_log:
        await _outage_scenario(outage_settings, database, pubsub_log)


async def _outage_scenario(settings: Settings, database: Database, pubsub_log: PubSubLog) -> None:
    async with private_redis() as private:
        shared = replace(settings, redis_url=private.url)
        async with (
            live(shared) as (first, admin_first),
            serve(shared) as second,
            GraphQLClient(
                second.app, bearer(shared, Role.ADMIN), role=Role.ADMIN, owns_app=False
            ) as admin_second,
        ):
            # An order to follow (its priority toggles) and a job (notes are added to it).
            w = await world(admin_first)
            customer = await order_factories.customer(admin_first)
            order = await order_factories.draft(
                admin_first, customer["id"], [(w["variant"]["id"], 3)]
            )
            (job,) = await jobs_of(
                admin_first, (await approved(admin_first, [(w["variant"]["id"], 5)]))["id"]
            )
            order_pk = decode_id(order["id"])[1]

            subscribers = _subscribe_three_each(shared, (first, second), order["id"])
            for subscriber in subscribers:
                subscriber.task = asyncio.create_task(subscriber.run(), name=subscriber.name)
            tasks = [s.task for s in subscribers if s.task is not None]
            try:
                for server in (first, second):
                    await server.subscribed(f"order:{order_pk}", count=2)
                    await server.subscribed(ALL_JOBS)
                async with database.read_connection() as conn:
                    start, _ = await cursor_state(conn)
                # Each live stream starts where its hub is; both hubs have delivered all.
                for server in (first, second):
                    assert server.app.state.hub.last_cursor == start
                for subscriber in subscribers:
                    subscriber.start_cursor = start

                # Mutations alternate between the streams, and each stream's between the
                # processes (mutation n goes to process (n // 2) % 2).
                writers = (admin_first, admin_second)
                priorities = ("RUSH", "STANDARD")
                count = 0

                async def mutate() -> None:
                    nonlocal count
                    writer = writers[(count // 2) % 2]
                    if count % 2 == 0:
                        # Each one changes the priority (setting it to its value is no change).
                        values = {"id": order["id"], "priority": priorities[(count // 2) % 2]}
                        payload = await writer.mutate(PRIORITY, {"input": values})
                    else:
                        values = {"jobId": job["id"], "content": f"note {count}"}
                        payload = await writer.mutate(ADD_NOTE, {"input": values})
                    assert payload["errors"] == [], payload
                    count += 1

                phases = [Phase("before", datetime.now(UTC))]
                for _ in range(8):
                    await mutate()
                    await asyncio.sleep(0.1)

                await private.stop()
                phases[-1].ended = datetime.now(UTC)
                phases.append(Phase("during", phases[-1].ended))
                down_at = asyncio.get_running_loop().time()
                while asyncio.get_running_loop().time() - down_at < OUTAGE_SECONDS:
                    await mutate()
                    await asyncio.sleep(0.4)
                await private.start()
                phases[-1].ended = datetime.now(UTC)

                # Both processes' pub/sub backends reconnect (backoff at most 2 s).
                async with asyncio.timeout(15):
                    await pubsub_log.wait_for_reconnections(2)
                phases.append(Phase("after", datetime.now(UTC)))
                for _ in range(8):
                    await mutate()
                    await asyncio.sleep(0.1)

                async with database.read_connection() as conn:
                    expected = {
                        "order": [
                            c.cursor
                            for c in await changes_since(
                                conn, start, channel=order_channel(order_pk)
                            )
                        ],
                        "jobs": [
                            c.cursor for c in await changes_since(conn, start, channel=ALL_JOBS)
                        ],
                    }
                stream_of = {"orderChanged": "order", "jobChanged": "jobs"}

                def wanted(s: ResumingSubscriber) -> int:
                    return len(expected[stream_of[s.root_field]])

                await wait_for_all(subscribers, wanted)
                await asyncio.sleep(0.5)  # a duplicate would arrive now
            finally:
                for task in tasks:
                    task.cancel()
                for task in tasks:
                    with contextlib.suppress(asyncio.CancelledError):
                        await task

    # Each priority change is one order event, each note one job event (its notification
    # goes to the notification channels).
    assert len(expected["order"]) == (count + 1) // 2
    assert len(expected["jobs"]) == count // 2
    for subscriber in subscribers:
        got = [r.cursor for r in subscriber.received]
        assert got == expected[stream_of[subscriber.root_field]], subscriber.name

    _report(subscribers, phases, pubsub_log)
    outage = [r for s in subscribers for r in s.received if phases[1].holds(r.committed_at)]
    assert outage, "no event was committed while Redis was down"
    after = [r for s in subscribers for r in s.received if phases[2].holds(r.committed_at)]
    # After the reconnection pub/sub delivers again: well inside one poll interval.
    assert max(r.latency for r in after) < POLL_SECONDS / 2, [r.latency for r in after]


def _subscribe_three_each(
    settings: Settings, servers: tuple[Server, Server], order_id: str
) -> list[ResumingSubscriber]:
    """On each process: two dashboards on the order, one on every job."""
    subscribers: list[ResumingSubscriber] = []
    for number, server in enumerate(servers, start=1):
        for seat in (1, 2):
            subscribers.append(
                ResumingSubscriber(
                    name=f"process {number} order {seat}",
                    url=server.url,
                    authorization=token(settings),
                    query=ORDER_CHANGED,
                    variables={"id": order_id},
                    root_field="orderChanged",
                )
            )
        subscribers.append(
            ResumingSubscriber(
                name=f"process {number} jobs",
                url=server.url,
                authorization=token(settings),
                query=JOB_CHANGED,
                variables={},
                root_field="jobChanged",
            )
        )
    return subscribers


def _report(
    subscribers: list[ResumingSubscriber], phases: list[Phase], pubsub_log: PubSubLog
) -> None:
    """What happened, for the reader of `pytest -s` (the assertions are above)."""
    for phase in phases:
        latencies = sorted(
            r.latency for s in subscribers for r in s.received if phase.holds(r.committed_at)
        )
        if latencies:
            print(
                f"{phase.name:>6}: {len(latencies)} deliveries, latency median "
                f"{statistics.median(latencies) * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms"
            )
    print("resumed connections:", {s.name: s.resumes for s in subscribers})
    for record in pubsub_log.records:
        print(f"log {record.levelname}: {record.getMessage()}")
