"""Subscription fan-out: how long a committed change takes to reach 1,000 live dashboards.

    uv run python bench/subscriptions.py [--clients 1000] [--mutations 200] [--rate 10]
        [--processes 1|2] [--database-url URL] [--redis-url URL]

What it models: a staff production dashboard. Every client is an admin following
`jobChanged` for all jobs (the `jobs` channel), so every event goes to every client: the
heaviest fan-out the API has. The mutations are `addJobNote` on the demo jobs at a steady
rate, sent round-robin to the app processes; each commits one event on that channel.

How: the database (PostgreSQL, `opsgraph_bench` by default) is created if missing, emptied,
migrated and loaded with the demo data. Redis is a private `redis-server` on a free port
unless --redis-url is given (pub/sub channels are server-wide, not per database number, so a
shared Redis would mix in other deployments' change events). The app runs as real uvicorn
SUBPROCESSES, so this load generator does not share their event loop; the clients
(plain `websockets`, graphql-transport-ws, split evenly across the processes) run here.
A client counts as subscribed once it received its first event (probe notes are added
until every client has one); events after that point are measured.

Prints: time to connect and subscribe all clients; events expected and received, lost and
duplicated; latency from `commitTimestamp` (same machine clock) p50/p95/p99/max to the
client, i.e. to the message being read off its socket, and to its receiving task having it
(which adds the wait behind the other clients in this process); CPU seconds of the app
processes and of this client process during the run, how late this process's event loop
ran and its longest garbage collection (both part of the measured latency). The machine
this was written on has 2 cores shared by PostgreSQL, Redis, the app and the clients.

The clients are kept from adding delays no real dashboard has: they run on uvloop, and
their connections are moved out of the garbage collector's sight once all are live.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import os
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import uvloop  # noqa: E402
import websockets  # noqa: E402
from cryptography.fernet import Fernet  # noqa: E402
from sqlalchemy import select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from websockets.asyncio.client import ClientConnection  # noqa: E402
from websockets.frames import Frame, Opcode  # noqa: E402

from auth.permissions import Role  # noqa: E402
from auth.tokens import issue  # noqa: E402
from bench.databases import ensure_database  # noqa: E402
from bench.measure import cpu_seconds, percentile  # noqa: E402
from db.change_log import changes_since, cursor_state  # noqa: E402
from db.engine import Database  # noqa: E402
from db.migrate import upgrade  # noqa: E402
from db.models import ManufacturingJob  # noqa: E402
from db.publications.jobs import ALL_JOBS  # noqa: E402
from demo.seed import load_demo_data  # noqa: E402
from resolvers.ids import encode_id  # noqa: E402
from resolvers.realtime import decode_cursor  # noqa: E402
from settings import AuthSettings  # noqa: E402
from tests.support.live import AppProcess  # noqa: E402
from tests.support.private_redis import PrivateRedis  # noqa: E402

DEFAULT_DATABASE_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/opsgraph_bench"
SUBSCRIPTION = """
subscription { jobChanged {
  cursor commitTimestamp eventType table
  job { id jobNumber status } note { content }
} }"""
ADD_NOTE = (
    "mutation($input: AddJobNoteInput!) { addJobNote(input: $input) {"
    " note { id } errors { code message } } }"
)
# Handshakes in flight at once: enough to be quick, few enough not to overflow the backlog.
CONNECTING_AT_ONCE = 100


# -- the database ------------------------------------------------------------------------------


async def prepare_database(url: str) -> list[str]:
    """Create (if missing), empty, migrate and seed the bench database; the demo jobs' IDs."""
    await ensure_database(url)
    database = Database(url, encryption_keys=(Fernet.generate_key().decode(),))
    try:
        async with database.engine.begin() as begin:
            await begin.execute(text("DROP SCHEMA public CASCADE"))
            await begin.execute(text("CREATE SCHEMA public"))
        await upgrade(database.engine)
        await load_demo_data(database)
        async with database.read_connection() as read:
            ids = (await read.execute(select(ManufacturingJob.id))).scalars().all()
    finally:
        await database.dispose()
    return [encode_id("ManufacturingJob", pk) for pk in ids]


async def expected_cursors(database: Database, after: int) -> list[int]:
    """Every change the `jobs` channel carried after `after`, from the change log."""
    cursors: list[int] = []
    async with database.read_connection() as conn:
        while True:
            batch = await changes_since(conn, cursors[-1] if cursors else after, channel=ALL_JOBS)
            cursors.extend(c.cursor for c in batch)
            if len(batch) < 500:
                return cursors


# -- the app processes -------------------------------------------------------------------------


# -- the clients -------------------------------------------------------------------------------


class StampedConnection(ClientConnection):
    """A client connection that notes when each text message was read off its socket.

    This one process plays 1,000 dashboards: when a fan-out reaches them all within a few
    milliseconds, a message waits here behind the others' processing before the task that
    receives it runs. The read time leaves that queue out (no real dashboard has it); the
    time the receiving task got the message is reported beside it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.arrivals: deque[float] = deque()

    def process_event(self, event: Any) -> None:
        # Called for each frame as it is parsed from the bytes just read (data_received).
        if isinstance(event, Frame) and event.opcode is Opcode.TEXT:
            self.arrivals.append(time.time())
        super().process_event(event)


@dataclass(frozen=True)
class Delivery:
    """One event as one client got it: seconds from commit to the message's bytes being
    read, and to its receiving task having it."""

    cursor: int
    read: float
    handled: float


@dataclass
class Client:
    """One dashboard: a WebSocket with one jobChanged subscription."""

    url: str
    authorization: str
    # Every event, in arrival order.
    events: list[Delivery] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    first_event: asyncio.Event = field(default_factory=asyncio.Event)
    # Set once `target` events after `start` have arrived.
    start: int = 0
    target: int | None = None
    complete: asyncio.Event = field(default_factory=asyncio.Event)
    ended: bool = False

    async def connect(self) -> StampedConnection:
        ws = await websockets.connect(
            self.url.replace("http://", "ws://") + "/graphql",
            subprotocols=[websockets.Subprotocol("graphql-transport-ws")],
            open_timeout=60,
            ping_interval=None,  # the server pings; the library answers
            max_queue=None,
            create_connection=StampedConnection,
        )
        assert isinstance(ws, StampedConnection)
        init = {"type": "connection_init", "payload": {"authorization": self.authorization}}
        await ws.send(json.dumps(init))
        ack = json.loads(await asyncio.wait_for(ws.recv(), 60))
        ws.arrivals.popleft()
        if ack.get("type") != "connection_ack":
            raise RuntimeError(f"not acknowledged: {ack}")
        await ws.send(
            json.dumps({"type": "subscribe", "id": "1", "payload": {"query": SUBSCRIPTION}})
        )
        return ws

    async def receive(self, ws: StampedConnection) -> None:
        """Record every event until the socket closes; an error or the end of the
        subscription is a problem (a dashboard would have to resubscribe)."""
        try:
            async for raw in ws:
                handled = time.time()
                read = ws.arrivals.popleft()
                message = json.loads(raw)
                kind = message.get("type")
                payload = message.get("payload") or {}
                if kind == "next" and payload.get("data"):
                    event = payload["data"]["jobChanged"]
                    committed = datetime.fromisoformat(event["commitTimestamp"]).timestamp()
                    cursor = decode_cursor(event["cursor"])
                    self.events.append(Delivery(cursor, read - committed, handled - committed))
                    self.first_event.set()
                    self.check_complete()
                elif kind == "ping":
                    await ws.send('{"type":"pong"}')
                elif kind != "pong":
                    self.problems.append(str(message)[:300])
                    if kind in ("error", "complete"):
                        break
        except websockets.ConnectionClosed as closed:
            self.problems.append(f"connection closed: {closed}")
        self.ended = True
        self.complete.set()  # nothing more will come

    def check_complete(self) -> None:
        if self.target is not None and self.measured() >= self.target:
            self.complete.set()

    def measured(self) -> int:
        return sum(1 for delivery in self.events if delivery.cursor > self.start)


async def connect_all(clients: Sequence[Client]) -> tuple[list[Any], float]:
    """Open every client's socket and subscription; the sockets and the seconds it took."""
    gate = asyncio.Semaphore(CONNECTING_AT_ONCE)

    async def one(client: Client) -> Any:
        async with gate:
            return await client.connect()

    started = time.perf_counter()
    sockets = await asyncio.gather(*(one(c) for c in clients))
    return sockets, time.perf_counter() - started


class LoopLag:
    """How late this process's event loop wakes a 10 ms sleep: the clients' own delay."""

    def __init__(self) -> None:
        self.samples: list[float] = []

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            before = loop.time()
            await asyncio.sleep(0.01)
            self.samples.append(loop.time() - before - 0.01)


class CollectorPauses:
    """This process's garbage-collector pauses: every client here stops while one runs."""

    def __init__(self) -> None:
        self.seconds: list[float] = []
        self._started = 0.0

    def start(self) -> None:
        gc.callbacks.append(self._observe)

    def stop(self) -> None:
        gc.callbacks.remove(self._observe)

    def _observe(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seconds.append(time.perf_counter() - self._started)


def set_aside_long_lived_objects() -> None:
    """Move the clients' connections, alive for the whole run, out of the collector's sight.
    A full collection over 1,000 of them stops every client here for ~200 ms and delays one
    event's whole fan-out: a cost of hosting 1,000 dashboards in one process, which no real
    dashboard (one socket each) pays. The app does the same at startup (serving.py)."""
    gc.collect()
    gc.freeze()


# -- the run -----------------------------------------------------------------------------------


class Mutator:
    """addJobNote through the app processes' HTTP endpoints, round-robin over processes and
    jobs; records each mutation's response time."""

    def __init__(self, apps: Sequence[AppProcess], jobs: Sequence[str], authorization: str):
        self._apps = apps
        self._jobs = jobs
        self._http = httpx.AsyncClient(headers={"Authorization": authorization}, timeout=60)
        self._count = 0
        self.seconds: list[float] = []
        self.failures: list[str] = []

    async def note(self) -> None:
        number = self._count
        self._count += 1
        app = self._apps[number % len(self._apps)]
        job = self._jobs[number % len(self._jobs)]
        variables = {"input": {"jobId": job, "content": f"bench note {number}"}}
        started = time.perf_counter()
        response = await self._http.post(
            f"{app.url}/graphql", json={"query": ADD_NOTE, "variables": variables}
        )
        self.seconds.append(time.perf_counter() - started)
        body = response.json()
        errors = body.get("errors") or (body.get("data") or {}).get("addJobNote", {}).get("errors")
        if errors:
            self.failures.append(json.dumps(errors)[:300])

    async def at_rate(self, count: int, per_second: float) -> None:
        """`count` notes at a steady rate (each sent on schedule, not after the previous)."""
        loop = asyncio.get_running_loop()
        begin = loop.time()
        sent: list[asyncio.Task[None]] = []
        for index in range(count):
            await asyncio.sleep(max(0.0, begin + index / per_second - loop.time()))
            sent.append(asyncio.create_task(self.note()))
        await asyncio.gather(*sent)

    async def close(self) -> None:
        await self._http.aclose()


async def wait_until_all_live(clients: Sequence[Client], mutator: Mutator, within: float) -> None:
    """Add probe notes until every client has received an event (it is then subscribed)."""
    async with asyncio.timeout(within):
        while not all(c.first_event.is_set() for c in clients):
            await mutator.note()
            waiting = [asyncio.create_task(c.first_event.wait()) for c in clients]
            await asyncio.wait(waiting, timeout=1.0)
            for task in waiting:
                task.cancel()


# What the app logs when a Redis call fails (redis_outage.py): a pool that stayed busy, or
# Redis taken for unreachable, which switches the rate limiter to its down policy.
REDIS_TROUBLE = ("Redis pool busy", "Redis is unreachable", "MaxConnectionsError")


def report_redis_health(apps: Sequence[AppProcess]) -> None:
    """Issue 30, item 6: the burst of subscriptions must not exhaust a Redis pool into
    failures, nor make the rate limiter think Redis is down."""
    lines = [
        line
        for app in apps
        for line in app.log().splitlines()
        if any(trouble in line for trouble in REDIS_TROUBLE)
    ]
    print(f"Redis failures logged by the app: {len(lines)}")
    for line in lines[:5]:
        print(f"  {line[:300]}")


async def run(args: argparse.Namespace) -> None:
    print(f"preparing {make_url(args.database_url).database} (migrate, demo data) ...")
    jobs = await prepare_database(args.database_url)
    jwt_secret = secrets.token_urlsafe(48)
    authorization = "Bearer " + issue(
        AuthSettings(jwt_secret=jwt_secret), role=Role.ADMIN, subject="bench-dashboard"
    )
    private_redis: PrivateRedis | None = None
    redis_url = args.redis_url
    if redis_url is None:
        executable = shutil.which("redis-server")
        if executable is None:
            raise SystemExit("redis-server not found: install it or pass --redis-url")
        private_redis = PrivateRedis(executable)
        await private_redis.start()
        redis_url = private_redis.url

    log_dir = Path(tempfile.mkdtemp(prefix="opsgraph-bench-"))
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "REDIS_URL": redis_url,
        "OPSGRAPH_ENV": "development",
        "OPSGRAPH_JWT_SECRET": jwt_secret,
        "OPSGRAPH_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "OPSGRAPH_DEV_SECRETS_FILE": str(log_dir / "dev-secrets.json"),
        # One admin identity runs every subscription and mutation: lift its budget.
        "OPSGRAPH_RATE_LIMIT_PER_MINUTE": str(10**9),
    }
    # Served as app.py serves: no per-message compression (see README, WebSockets).
    apps = [
        AppProcess(env, log_dir / f"app-{n}.log", ("--ws-per-message-deflate", "false"))
        for n in range(1, args.processes + 1)
    ]
    database = Database(args.database_url)
    mutator = Mutator(apps, jobs, authorization)
    lag = LoopLag()
    lag_task = asyncio.create_task(lag.run())
    pauses = CollectorPauses()
    pauses.start()
    sockets: list[Any] = []
    try:
        for app in apps:
            await app.start()
        await asyncio.gather(*(app.ready() for app in apps))
        print(
            f"{len(apps)} app process(es) up (pids {', '.join(str(a.pid) for a in apps)}"
            f", logs in {log_dir}); connecting {args.clients} clients ..."
        )
        clients = [Client(apps[i % len(apps)].url, authorization) for i in range(args.clients)]
        sockets, connect_seconds = await connect_all(clients)
        receivers = [
            asyncio.create_task(c.receive(ws)) for c, ws in zip(clients, sockets, strict=True)
        ]
        live_started = time.perf_counter()
        await wait_until_all_live(clients, mutator, within=120)
        live_seconds = time.perf_counter() - live_started
        mutator.seconds.clear()  # the probes are not part of the measured run
        set_aside_long_lived_objects()

        async with database.read_connection() as conn:
            start, _ = await cursor_state(conn)
        for client in clients:
            client.start = start
        cpu_before = [cpu_seconds(app.pid) for app in apps]
        own_cpu_before = time.process_time()
        lag.samples.clear()
        pauses.seconds.clear()
        mutations_started = time.perf_counter()
        print(f"all live; {args.mutations} notes at {args.rate}/s ...")
        await mutator.at_rate(args.mutations, args.rate)
        mutation_seconds = time.perf_counter() - mutations_started

        expected = await expected_cursors(database, start)
        for client in clients:
            client.target = len(expected)
            client.check_complete()
        drain_started = time.perf_counter()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(args.drain):
                await asyncio.gather(*(c.complete.wait() for c in clients))
        await asyncio.sleep(0.5)  # duplicates, if any, would arrive now
        drain_seconds = time.perf_counter() - drain_started
        cpu = [cpu_seconds(app.pid) - before for app, before in zip(apps, cpu_before, strict=True)]
        own_cpu = time.process_time() - own_cpu_before
        lag_samples = sorted(lag.samples)
        pause_seconds = list(pauses.seconds)
        for receiver in receivers:
            receiver.cancel()
    finally:
        lag_task.cancel()
        pauses.stop()
        await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
        await mutator.close()
        await database.dispose()
        for app in apps:
            await app.stop()
        if private_redis is not None:
            await private_redis.stop()
    report_redis_health(apps)

    report(
        args,
        clients,
        expected,
        mutator,
        timings={
            "connect": connect_seconds,
            "live": live_seconds,
            "mutations": mutation_seconds,
            "drain": drain_seconds,
        },
        cpu=cpu,
        own_cpu=own_cpu,
        lag=lag_samples,
        collector_pauses=pause_seconds,
    )


def report(
    args: argparse.Namespace,
    clients: Sequence[Client],
    expected: Sequence[int],
    mutator: Mutator,
    *,
    timings: dict[str, float],
    cpu: Sequence[float],
    own_cpu: float,
    lag: Sequence[float],
    collector_pauses: Sequence[float],
) -> None:
    wanted = set(expected)
    deliveries: list[Delivery] = []
    lost = duplicated = unexpected = 0
    for client in clients:
        measured = [d for d in client.events if d.cursor > client.start]
        cursors = [d.cursor for d in measured]
        lost += len(wanted - set(cursors))
        duplicated += len(cursors) - len(set(cursors))
        unexpected += len(set(cursors) - wanted)
        seen: set[int] = set()
        for delivery in measured:
            if delivery.cursor in wanted and delivery.cursor not in seen:
                seen.add(delivery.cursor)
                deliveries.append(delivery)
    latencies = sorted(d.read for d in deliveries)
    handled = sorted(d.handled for d in deliveries)
    ms = 1000.0
    print()
    print(
        f"clients {len(clients)} on {args.processes} process(es); "
        f"{len(expected)} events x {len(clients)} clients = {len(expected) * len(clients)} expected"
    )
    print(
        f"subscribe: all connected+subscribed in {timings['connect']:.2f} s; "
        f"all receiving (first event) {timings['live']:.2f} s later"
    )
    print(
        f"mutations: {len(mutator.seconds)} sent in {timings['mutations']:.1f} s (target "
        f"{args.rate}/s), response p50 {statistics.median(mutator.seconds) * ms:.0f} ms, "
        f"failed {len(mutator.failures)}"
    )
    print(
        f"events: received {len(latencies)}, lost {lost}, duplicated {duplicated}, "
        f"unexpected {unexpected}; drained {timings['drain']:.1f} s after the last mutation"
    )
    for name, values in (("commit->client", latencies), ("commit->receiving task", handled)):
        if values:
            print(
                f"latency {name}: "
                f"p50 {percentile(values, 0.50) * ms:.0f} ms, "
                f"p95 {percentile(values, 0.95) * ms:.0f} ms, "
                f"p99 {percentile(values, 0.99) * ms:.0f} ms, "
                f"max {values[-1] * ms:.0f} ms"
            )
    span = timings["mutations"] + timings["drain"]
    print(
        f"CPU during the run ({span:.1f} s): app process(es) "
        + ", ".join(f"{seconds:.1f} s" for seconds in cpu)
        + f"; this client process {own_cpu:.1f} s"
    )
    if latencies:
        # Independent of how busy the machine is: what one delivery costs the app.
        print(f"app CPU per delivered event: {sum(cpu) / len(latencies) * ms:.2f} ms")
    if lag:
        print(
            f"client event-loop lateness: p50 {percentile(lag, 0.5) * ms:.0f} ms, "
            f"p99 {percentile(lag, 0.99) * ms:.0f} ms, max {lag[-1] * ms:.0f} ms"
        )
    print(
        f"client garbage collections: {len(collector_pauses)}, "
        f"longest {max(collector_pauses, default=0.0) * ms:.0f} ms"
    )
    problems = [p for c in clients for p in c.problems]
    if problems or mutator.failures:
        ended = sum(c.ended for c in clients)
        print(
            f"problems: {len(problems)} error/unexpected messages, {ended} subscriptions ended "
            f"early; e.g. {problems[:2]}"
        )
        print(f"mutation failures: {len(mutator.failures)}, e.g. {mutator.failures[:2]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--mutations", type=int, default=200)
    parser.add_argument("--rate", type=float, default=10.0, help="mutations per second")
    parser.add_argument("--processes", type=int, choices=(1, 2), default=1)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument(
        "--redis-url", default=None, help="default: a private redis-server on a free port"
    )
    parser.add_argument(
        "--drain", type=float, default=60.0, help="seconds to wait for the last events"
    )
    # The clients' own loop as lean as the app's (uvicorn runs uvloop): their processing is
    # part of every latency measured here.
    uvloop.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
