"""A rolling restart (issue 30, item 4): two app processes (`app.py`) on one database and one
Redis, subscribers on both; one gets SIGTERM in the middle of a stream. Its /readyz turns 503,
its WebSockets are closed with 1012 (service restart), its clients reconnect to the other
process with their last cursor, and every subscriber ends with every event exactly once, in
cursor order. A request in flight on the stopping process completes."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import websockets

from auth.permissions import Role
from db.change_log import changes_since, cursor_state
from db.engine import Database
from db.publications.orders import order_channel
from resolvers.ids import decode_id
from resolvers.realtime import decode_cursor, encode_cursor
from settings import Settings
from tests.support import order_factories
from tests.support.graphql import bearer
from tests.support.live import HttpGraphQLClient, ServedApp, process_environment, subscribe
from tests.support.realtime import PRIORITY, token
from tests.support.routing_world import world

ORDER_CHANGED = """
subscription($id: ID!, $after: String) { orderChanged(id: $id, after: $after) { cursor } }"""
GRACE_SECONDS = 5
SERVICE_RESTART = 1012
WRITES = 24
SIGTERM_AFTER = 8


@dataclass
class RestartingSubscriber:
    """Follows an order; when its WebSocket is closed for a restart, it connects to the
    other process (a load balancer's job) and resumes with `after` = its last cursor."""

    name: str
    url: str
    fallback: str
    authorization: str
    order_id: str
    start: int
    cursors: list[int] = field(default_factory=list)
    close_codes: list[int | None] = field(default_factory=list)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)

    async def run(self) -> None:
        while True:
            after = self.cursors[-1] if self.cursors else self.start
            variables = {"id": self.order_id, "after": encode_cursor(after)}
            try:
                async with subscribe(self.url, self.authorization, ORDER_CHANGED, variables) as s:
                    while True:
                        payload = await s.next(wait=3600)
                        assert "data" in payload, f"{self.name}: {payload}"
                        self.cursors.append(
                            decode_cursor(payload["data"]["orderChanged"]["cursor"])
                        )
                        self.arrived.set()
            except websockets.ConnectionClosed as closed:
                code = closed.rcvd.code if closed.rcvd is not None else None
                self.close_codes.append(code)
                assert code == SERVICE_RESTART, f"{self.name} closed with {code}"
                self.url = self.fallback


async def _in_flight_request(port: int, settings: Settings) -> tuple[asyncio.StreamReader, Any]:
    """A POST whose body is still arriving: the request is in the app when SIGTERM comes."""
    body = json.dumps({"query": "{ viewer { role } }"}).encode()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    authorization = bearer(settings, Role.ADMIN)
    writer.write(
        b"POST /graphql HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
        + f"Authorization: {authorization['Authorization']}\r\n".encode()
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body[:10]
    )
    await writer.drain()
    return reader, (writer, body[10:])


async def test_a_rolling_restart_loses_no_event_and_no_request(
    settings: Settings, redis_url: str, database: Database, tmp_path: Path
) -> None:
    shared = replace(
        settings, redis_url=redis_url, realtime=replace(settings.realtime, poll_seconds=0.5)
    )
    environ = {
        **process_environment(shared, tmp_path),
        "OPSGRAPH_SHUTDOWN_GRACE_SECONDS": str(GRACE_SECONDS),
        "OPSGRAPH_GRAPHIQL": "0",
    }
    leaving = ServedApp(environ, tmp_path / "leaving.log")
    staying = ServedApp(environ, tmp_path / "staying.log")
    tasks: list[asyncio.Task[None]] = []
    async with staying, leaving, HttpGraphQLClient(staying.url, shared) as admin:
        w = await world(admin)
        customer = await order_factories.customer(admin)
        order = await order_factories.draft(admin, customer["id"], [(w["variant"]["id"], 3)])
        async with database.read_connection() as conn:
            start, _ = await cursor_state(conn)
        subscribers = [
            RestartingSubscriber(
                f"{where.log_path.stem}-{n}",
                where.url,
                staying.url,
                token(shared),
                order["id"],
                start,
            )
            for where in (leaving, staying)
            for n in range(3)
        ]
        tasks = [asyncio.create_task(s.run(), name=s.name) for s in subscribers]
        try:
            priorities = ("RUSH", "STANDARD")
            in_flight = None
            for n in range(WRITES):
                payload = await admin.mutate(
                    PRIORITY, {"input": {"id": order["id"], "priority": priorities[n % 2]}}
                )
                assert payload["errors"] == [], payload
                if n == 0:  # every subscriber is live before the restart
                    await _until(subscribers, tasks, lambda s: len(s.cursors) >= 1)
                if n == SIGTERM_AFTER:
                    in_flight = await _in_flight_request(leaving.port, shared)
                    stopping = time.monotonic()
                    await leaving.terminate()
                    await asyncio.sleep(0.3)
                    # The rest of the body arrives while the process drains.
                    with contextlib.suppress(OSError):
                        reader, (writer, rest) = in_flight
                        writer.write(rest)
                        await writer.drain()
                await asyncio.sleep(0.05)
            assert in_flight is not None
            reader, (writer, _) = in_flight
            answer = await asyncio.wait_for(reader.read(), 10)
            writer.close()
            assert answer.startswith(b"HTTP/1.1 200"), answer[:200]
            assert b'"role":"ADMIN"' in answer or b'"role": "ADMIN"' in answer, answer
            assert await leaving.exited(GRACE_SECONDS + 5), leaving.log()[-3000:]
            took = time.monotonic() - stopping

            async with database.read_connection() as conn:
                expected = [
                    record.cursor
                    for record in await changes_since(
                        conn, start, channel=order_channel(decode_id(order["id"])[1])
                    )
                ]
            assert len(expected) == WRITES
            await _until(subscribers, tasks, lambda s: len(s.cursors) >= len(expected))
            await asyncio.sleep(0.5)  # nothing more (a duplicate) arrives
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    for subscriber in subscribers:
        assert subscriber.cursors == expected, subscriber.name
        moved = subscriber.name.startswith("leaving")
        assert subscriber.close_codes == ([SERVICE_RESTART] if moved else []), subscriber.name
    log = leaving.log()
    assert "closed 3 WebSockets with 1012" in log, log[-3000:]
    assert took < GRACE_SECONDS + 5


async def _until(
    subscribers: list[RestartingSubscriber], tasks: list[asyncio.Task[None]], done: Any
) -> None:
    async with asyncio.timeout(20):
        while not all(done(s) for s in subscribers):
            for task in tasks:
                if task.done():
                    task.result()  # a subscriber that failed fails the test
            await asyncio.sleep(0.05)
