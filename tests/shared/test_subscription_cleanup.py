"""After a storm (issue 23, defect 6): subscription machinery is released when its clients
leave, counted by objects rather than by the process's memory."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
from collections import Counter
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any

import websockets

from resolvers.context import RequestContext
from schema.persisted.websockets import PersistedTransportWSHandler
from schema.realtime.messages import Lead, MessageGroup
from subscriptions import fanout
from tests.support.live import TRANSPORT_WS, Server
from tests.support.realtime import JOB_CHANGED, ORDER_CHANGED, channel_of, live, token
from tests.support.routing_world import approved, jobs_of, world

# What a subscription holds while it lives, and must let go of when it ends.
MACHINERY: tuple[type[Any], ...] = (
    fanout.Subscription,
    fanout.Turns,
    fanout._TurnGroup,
    fanout._Channel,
    MessageGroup,
    Lead,
    RequestContext,
    PersistedTransportWSHandler,
)


def census() -> Counter[str]:
    """Live instances of the machinery's classes, and the event loop's tasks."""
    gc.collect()
    counts: Counter[str] = Counter(
        type(o).__name__ for o in gc.get_objects() if isinstance(o, MACHINERY)
    )
    counts["asyncio tasks"] = len(asyncio.all_tasks())
    return counts


@asynccontextmanager
async def socket_with(
    server: Server, authorization: str, operations: Iterable[tuple[str, dict[str, Any]]]
) -> AsyncIterator[Any]:
    """One graphql-transport-ws socket carrying every one of `operations` (query,
    variables), each under its own id."""
    url = server.url.replace("http://", "ws://") + "/graphql"
    async with websockets.connect(url, subprotocols=[websockets.Subprotocol(TRANSPORT_WS)]) as ws:
        init = {"type": "connection_init", "payload": {"authorization": authorization}}
        await ws.send(json.dumps(init))
        assert json.loads(await asyncio.wait_for(ws.recv(), 5))["type"] == "connection_ack"
        for number, (query, variables) in enumerate(operations):
            payload = {"query": query, "variables": variables}
            await ws.send(json.dumps({"type": "subscribe", "id": str(number), "payload": payload}))
        yield ws


async def settle(server: Server) -> None:
    """Until the hub follows no channel: every subscription has left it."""
    async with asyncio.timeout(10):
        while server.app.state.hub._local._channels:  # noqa: ASYNC110 (no event to await)
            await asyncio.sleep(0.02)


SOCKETS, PER_SOCKET = 6, 20


async def test_subscription_machinery_is_released_when_its_clients_leave(
    live_settings: Any,
) -> None:
    async with live(live_settings) as (server, admin):
        w = await world(admin)
        order = await approved(admin, [(w["variant"]["id"], 5)])
        (job,) = await jobs_of(admin, order["id"])
        operations = [
            (JOB_CHANGED, {"id": job["id"]}) if n % 2 else (ORDER_CHANGED, {"id": order["id"]})
            for n in range(PER_SOCKET)
        ]
        baseline = census()
        async with contextlib.AsyncExitStack() as stack:
            sockets = [
                await stack.enter_async_context(
                    socket_with(server, token(live_settings), operations)
                )
                for _ in range(SOCKETS)
            ]
            followers = SOCKETS * PER_SOCKET // 2
            await server.subscribed(channel_of(job["id"], "job"), count=followers)
            await server.subscribed(channel_of(order["id"]), count=followers)
            during = census()
            # One change through every subscription: leads, turns and shared results.
            await admin.mutate(
                "mutation($input: AddJobNoteInput!) { addJobNote(input: $input) { note { id } } }",
                {"input": {"jobId": job["id"], "content": "storm"}},
            )
            for ws in sockets:
                assert json.loads(await asyncio.wait_for(ws.recv(), 5))["type"] == "next"
        await settle(server)
        after = census()

    assert during["Subscription"] >= SOCKETS * PER_SOCKET  # the census sees the machinery
    left = {name: after[name] - baseline[name] for name in after if after[name] > baseline[name]}
    assert left == {}, f"still held after every client left: {left} (baseline {baseline})"


async def test_a_burst_of_subscriptions_larger_than_the_pool_starts_and_idles_holding_none(
    live_settings: Any,
) -> None:
    """Each subscription checks its order on subscribe, then reads where the change log
    stands. It held the first connection while asking for the second: a burst larger than
    the pool (2 + 2 here; SQLite's holds 15) waited for connections until it timed out."""
    small_pool = replace(live_settings, db_pool_size=2)
    async with live(small_pool) as (server, admin):
        w = await world(admin)
        order = await approved(admin, [(w["variant"]["id"], 5)])
        burst = [(ORDER_CHANGED, {"id": order["id"]})] * 40
        async with socket_with(server, token(small_pool), burst):
            await server.subscribed(channel_of(order["id"]), count=len(burst), wait=10)
            # A subscription that joined while the hub was still delivering the approval's
            # changes replays them with a connection of its own for a moment; idle, none does.
            pool = server.app.state.database.engine.pool
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(5):
                    while pool.checkedout():  # noqa: ASYNC110 (the pool has no event to await)
                        await asyncio.sleep(0.02)
            assert pool.checkedout() == 0
