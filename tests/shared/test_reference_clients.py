"""The reference clients a dashboard would use, against the real server: the npm
`graphql-ws` client (Node) and the Python `gql` client on both WebSocket subprotocols.

Each subscribes to an order with the token in `connection_init`, and must receive the
order's UPDATE and its new fulfillment event INSERT when the order is submitted.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from gql import Client, GraphQLRequest
from gql.transport.websockets import WebsocketsTransport

from resolvers.realtime import decode_cursor
from settings import Settings
from tests.support import node_packages
from tests.support.graphql import GraphQLClient
from tests.support.live import LEGACY_WS, TRANSPORT_WS, Server
from tests.support.realtime import ORDER_CHANGED, SUBMIT, channel_of, draft_order, live, token

NODE_CLIENT = node_packages.CLIENTS / "graphql_ws"


@pytest.fixture(scope="session")
def node_client() -> Path:
    """The graphql-ws client's script, its pinned packages installed with `npm ci`."""
    node_packages.installed(NODE_CLIENT, "npm graphql-ws client")
    return NODE_CLIENT / "subscribe.mjs"


def ws_url(http_url: str) -> str:
    return http_url.replace("http://", "ws://") + "/graphql"


def assert_update_then_fulfillment_event(events: list[dict[str, Any]], order_id: str) -> None:
    """What `submitOrder` commits, as a dashboard sees it: one transaction, two events in
    cursor order — the order's UPDATE to SUBMITTED and the new timeline entry (INSERT)."""
    cursors = [decode_cursor(e["cursor"]) for e in events]
    assert cursors == sorted(set(cursors)), cursors
    by_table = {e["table"]: e for e in events}
    assert sorted(by_table) == ["fulfillment_events", "orders"], events
    update, added = by_table["orders"], by_table["fulfillment_events"]
    assert update["eventType"] == "UPDATE" and added["eventType"] == "INSERT"
    assert update["order"]["id"] == order_id
    assert update["order"]["status"] == "SUBMITTED"
    assert update["old"]["status"] == "DRAFT" and "status" in update["changedFields"]
    assert added["fulfillmentEvent"]["orderStatus"] == "SUBMITTED"
    assert added["order"]["id"] == order_id


# -- npm graphql-ws --------------------------------------------------------------------------


class NodeSubscription:
    """The node script's JSON lines, one at a time."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    async def line(self, seconds: float = 10.0) -> dict[str, Any]:
        assert self.process.stdout is not None
        raw = await asyncio.wait_for(self.process.stdout.readline(), seconds)
        if not raw:
            stderr = await self.process.stderr.read() if self.process.stderr else b""
            raise AssertionError(f"the node client exited: {stderr.decode()[-2000:]}")
        line: dict[str, Any] = json.loads(raw)
        return line


@asynccontextmanager
async def node_subscription(
    script: Path, url: str, authorization: str, query: str, variables: dict[str, Any]
) -> AsyncIterator[NodeSubscription]:
    env = {
        **os.environ,
        "OPSGRAPH_URL": url,
        "OPSGRAPH_AUTHORIZATION": authorization,
        "OPSGRAPH_QUERY": query,
        "OPSGRAPH_VARIABLES": json.dumps(variables),
    }
    process = await asyncio.create_subprocess_exec(
        "node",
        str(script),
        cwd=script.parent,
        env=env,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        yield NodeSubscription(process)
    finally:
        assert process.stdin is not None
        process.stdin.close()  # the script disposes its client and exits
        try:
            await asyncio.wait_for(process.wait(), 5)
        except TimeoutError:
            process.kill()
            await process.wait()


@asynccontextmanager
async def node_following_an_order(
    settings: Settings, script: Path, authorization: str | None = None
) -> AsyncIterator[tuple[Server, GraphQLClient, Any, NodeSubscription]]:
    """The served app with a draft order, and the npm client subscribed to that order's
    changes (with an admin's token unless told otherwise)."""
    async with live(settings) as (server, admin):
        order = await draft_order(admin)
        async with node_subscription(
            script,
            ws_url(server.url),
            authorization or token(settings),
            ORDER_CHANGED,
            {"id": order["id"]},
        ) as client:
            yield server, admin, order, client


async def test_the_npm_graphql_ws_client_receives_an_orders_updates_and_events(
    live_settings: Settings, node_client: Path
) -> None:
    async with node_following_an_order(live_settings, node_client) as (
        server,
        admin,
        order,
        client,
    ):
        assert await client.line() == {"kind": "connected"}
        await server.subscribed(channel_of(order["id"]))
        submitted = await admin.mutate(SUBMIT, {"input": {"id": order["id"]}})
        assert submitted["errors"] == []

        events = []
        for _ in range(2):
            line = await client.line()
            assert line["kind"] == "next" and "errors" not in line["payload"], line
            events.append(line["payload"]["data"]["orderChanged"])
        assert_update_then_fulfillment_event(events, order["id"])


async def test_the_npm_graphql_ws_client_is_refused_without_valid_credentials(
    live_settings: Settings, node_client: Path
) -> None:
    async with node_following_an_order(live_settings, node_client, "Bearer not-a-token") as (
        *_,
        client,
    ):
        closed = await client.line()
        assert closed["kind"] == "closed" and closed["code"] == 4403, closed
        refused = await client.line()
        assert refused["kind"] == "error", refused


# -- Python gql ------------------------------------------------------------------------------


@pytest.mark.parametrize("protocol", [TRANSPORT_WS, LEGACY_WS])
async def test_the_python_gql_client_receives_an_orders_updates_and_events(
    live_settings: Settings, protocol: str
) -> None:
    async with live(live_settings) as (server, admin):
        order = await draft_order(admin)
        transport = WebsocketsTransport(
            url=ws_url(server.url),
            init_payload={"authorization": token(live_settings)},
            subprotocols=[protocol],
        )
        request = GraphQLRequest(ORDER_CHANGED, variable_values={"id": order["id"]})
        async with Client(transport=transport) as session:
            # The server agreed to the subprotocol asked for (gql offers both by default).
            assert transport.subprotocol == protocol
            events: list[dict[str, Any]] = []

            async def receive_two() -> None:
                async for result in session.subscribe(request):
                    events.append(result["orderChanged"])
                    if len(events) == 2:
                        return

            receiving = asyncio.create_task(receive_two())
            try:
                await server.subscribed(channel_of(order["id"]))
                submitted = await admin.mutate(SUBMIT, {"input": {"id": order["id"]}})
                assert submitted["errors"] == []
                await asyncio.wait_for(receiving, 10)
            finally:
                receiving.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await receiving
            assert_update_then_fulfillment_event(events, order["id"])
