"""Redis stopped for 5 s and restarted in the middle of a stream: subscribers on two app
processes still end with every event exactly once, in cursor order.

Redis here is a private `redis-server` this test starts on a free port and stops (never the
shared one). The two app processes are real OS processes (`uvicorn app:create_app
--factory`, settings from their environment), each with its own change hub, database pool
and Redis connections; the test talks to them only over HTTP and WebSocket, and reads their
logs from files. Each process commits half of the mutations. Subscribers keep a resuming
client: if their connection drops, they subscribe again with `after` set to the last cursor
they received.

poll_seconds is 2 s here so that how an event arrived shows in its latency: pub/sub brings
it within milliseconds, the change-log poll up to 2 s later.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import statistics
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import websockets

from db.change_log import changes_since, cursor_state
from db.engine import Database
from db.publications.jobs import ALL_JOBS
from db.publications.orders import order_channel
from resolvers.ids import decode_id
from resolvers.realtime import decode_cursor, encode_cursor
from settings import Settings
from tests.support import order_factories, services
from tests.support.graphql import GraphQLClient
from tests.support.live import (
    AppProcess,
    HttpGraphQLClient,
    process_environment,
    serve_in_processes,
    subscribe,
)
from tests.support.private_redis import PrivateRedis, running_private_redis
from tests.support.realtime import ADD_NOTE, PRIORITY, token
from tests.support.routing_world import approved, jobs_of, world

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
# What the pub/sub backend (subscriptions/redis_backend.py) logs when Redis goes and comes back.
LOST = "Redis pub/sub connection lost"
RECONNECTED = "Redis pub/sub connection back after"


# -- a private Redis ---------------------------------------------------------------------------


@asynccontextmanager
async def private_redis() -> AsyncIterator[PrivateRedis]:
    executable = shutil.which("redis-server")
    if executable is None:
        services.unavailable("redis-server", "not on PATH; the outage test starts its own")
    assert executable is not None
    async with running_private_redis(executable) as server:
        yield server


async def wait_for_log_line(processes: list[AppProcess], text: str, wait: float) -> None:
    """Until every process's log holds `text`."""
    async with asyncio.timeout(wait):
        while True:
            if all(text in process.log() for process in processes):
                return
            await asyncio.sleep(0.1)


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
    """Follows one subscription from `start_cursor` on; when its connection drops it
    subscribes again with `after` = the last cursor received."""

    name: str
    url: str
    authorization: str
    query: str
    variables: dict[str, Any]
    root_field: str
    start_cursor: int
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
            self.connections += 1
            try:
                async with subscribe(
                    self.url,
                    self.authorization,
                    self.query,
                    {**self.variables, "after": encode_cursor(last)},
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
    outage_settings: Settings, database: Database, tmp_path: Path
) -> None:
    async with private_redis() as private:
        shared = replace(outage_settings, redis_url=private.url)
        logs = [tmp_path / "app-1.log", tmp_path / "app-2.log"]
        async with (
            serve_in_processes(process_environment(shared, tmp_path), logs) as processes,
            HttpGraphQLClient(processes[0].url, shared) as admin_first,
            HttpGraphQLClient(processes[1].url, shared) as admin_second,
        ):
            await _outage_scenario(
                private, processes, (admin_first, admin_second), shared, database
            )


async def _outage_scenario(
    private: PrivateRedis,
    processes: list[AppProcess],
    writers: tuple[GraphQLClient, GraphQLClient],
    settings: Settings,
    database: Database,
) -> None:
    admin_first = writers[0]
    # An order to follow (its priority toggles) and a job (notes are added to it).
    w = await world(admin_first)
    customer = await order_factories.customer(admin_first)
    order = await order_factories.draft(admin_first, customer["id"], [(w["variant"]["id"], 3)])
    (job,) = await jobs_of(
        admin_first, (await approved(admin_first, [(w["variant"]["id"], 5)]))["id"]
    )
    order_pk = decode_id(order["id"])[1]

    # Every subscriber follows its stream from `start` on (`after`), so none misses an event
    # committed while its WebSocket was still opening: what each must end with is exactly
    # the change log's records of its channel after `start`.
    async with database.read_connection() as conn:
        start, _ = await cursor_state(conn)
    subscribers = _subscribe_three_each(settings, processes, order["id"], start)
    for subscriber in subscribers:
        subscriber.task = asyncio.create_task(subscriber.run(), name=subscriber.name)
    tasks = [s.task for s in subscribers if s.task is not None]
    try:
        # Mutations alternate between the streams, and each stream's between the processes
        # (mutation n goes to process (n // 2) % 2).
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
        # The first order event and the first job event are the probe: a subscriber that
        # received one has joined its process's hub (a subscription joins before it replays
        # `after`), so from here on every subscription is live when Redis goes down.
        await mutate()
        await mutate()
        await wait_for_all(subscribers, lambda _: 1)
        for _ in range(6):
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
        await wait_for_log_line(processes, RECONNECTED, wait=20)
        phases.append(Phase("after", datetime.now(UTC)))
        for _ in range(8):
            await mutate()
            await asyncio.sleep(0.1)

        async with database.read_connection() as conn:
            expected = {
                "order": [
                    c.cursor
                    for c in await changes_since(conn, start, channel=order_channel(order_pk))
                ],
                "jobs": [c.cursor for c in await changes_since(conn, start, channel=ALL_JOBS)],
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

    _report(subscribers, phases, processes)
    for process in processes:
        log = process.log()
        assert LOST in log and RECONNECTED in log, log[-3000:]
    outage = [r for s in subscribers for r in s.received if phases[1].holds(r.committed_at)]
    assert outage, "no event was committed while Redis was down"
    after = [r for s in subscribers for r in s.received if phases[2].holds(r.committed_at)]
    # After the reconnection pub/sub delivers again: well inside one poll interval.
    assert max(r.latency for r in after) < POLL_SECONDS / 2, [r.latency for r in after]


def _subscribe_three_each(
    settings: Settings, processes: list[AppProcess], order_id: str, start: int
) -> list[ResumingSubscriber]:
    """On each process: two dashboards on the order, one on every job."""
    Stream = tuple[str, dict[str, Any], str]  # document, variables, root field
    order_stream: Stream = (ORDER_CHANGED, {"id": order_id}, "orderChanged")
    jobs_stream: Stream = (JOB_CHANGED, {}, "jobChanged")
    return [
        ResumingSubscriber(
            name=f"process {number} {seat}",
            url=process.url,
            authorization=token(settings),
            query=query,
            variables=variables,
            root_field=root_field,
            start_cursor=start,
        )
        for number, process in enumerate(processes, start=1)
        for seat, (query, variables, root_field) in (
            ("order 1", order_stream),
            ("order 2", order_stream),
            ("jobs", jobs_stream),
        )
    ]


def _report(
    subscribers: list[ResumingSubscriber], phases: list[Phase], processes: list[AppProcess]
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
    for number, process in enumerate(processes, start=1):
        lines = process.log().splitlines()
        for line in lines:
            if "opsgraph.pubsub" in line:
                print(f"process {number}: {line}")
        unpublished = sum("the poll will deliver them" in line for line in lines)
        print(f"process {number}: {unpublished} commits not published (Redis down)")
