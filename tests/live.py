"""The real app on a local port, and a small graphql-transport-ws / graphql-ws client.

Subscriptions need the whole stack (lifespan starts the change hub; uvicorn speaks
WebSocket), so these tests serve the app with uvicorn inside the test's event loop.
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import uvicorn
import websockets

from app import create_app
from settings import Settings

TRANSPORT_WS = "graphql-transport-ws"
LEGACY_WS = "graphql-ws"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Server:
    def __init__(self, url: str, app: Any) -> None:
        self.url = url
        self.app = app

    async def subscribed(self, channel: str, count: int = 1, wait: float = 5.0) -> None:
        """Wait until `count` subscriptions follow `channel` (so a change made now reaches
        them: a subscription without `after` starts at the moment it joins)."""
        fanout = self.app.state.hub._local
        async with asyncio.timeout(wait):
            # Polls the hub's state: it has no event to await for a joining subscriber.
            while len(fanout._channels.get(channel, _NoChannel).receivers) < count:  # noqa: ASYNC110
                await asyncio.sleep(0.01)


class _NoChannel:
    receivers: frozenset[Any] = frozenset()


@asynccontextmanager
async def serve(settings: Settings, port: int | None = None) -> AsyncIterator[Server]:
    """Serve the app on a local port until the block ends."""
    port = port or free_port()
    app = create_app(settings)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    try:
        yield Server(f"http://127.0.0.1:{port}", app)
    finally:
        server.should_exit = True
        await task


class Subscription:
    """One subscription on its own WebSocket."""

    def __init__(self, ws: Any, protocol: str) -> None:
        self.ws = ws
        self.protocol = protocol

    async def next(self, wait: float = 5.0) -> dict[str, Any]:
        """The next message for the operation: {"data": ...} or {"errors": [...]}, or
        {"complete": True} when the server completed it."""
        while True:
            message = json.loads(await asyncio.wait_for(self.ws.recv(), wait))
            kind = message["type"]
            if kind in ("next", "data"):
                payload: dict[str, Any] = message["payload"]
                return payload
            if kind == "error":
                errors = message["payload"]
                return {"errors": errors if isinstance(errors, list) else [errors]}
            if kind == "complete":
                return {"complete": True}
            if kind in ("ka", "ping", "pong"):
                if kind == "ping":
                    await self.ws.send(json.dumps({"type": "pong"}))
                continue
            raise AssertionError(f"unexpected message {message}")

    async def data(self, wait: float = 5.0) -> dict[str, Any]:
        payload = await self.next(wait)
        assert "errors" not in payload and "complete" not in payload, payload
        data: dict[str, Any] = payload["data"]
        return data

    async def nothing_within(self, seconds: float) -> None:
        try:
            message = await asyncio.wait_for(self.ws.recv(), seconds)
        except TimeoutError:
            return
        raise AssertionError(f"expected no message, got {message}")

    async def complete(self) -> None:
        kind = "complete" if self.protocol == TRANSPORT_WS else "stop"
        await self.ws.send(json.dumps({"type": kind, "id": "1"}))


@asynccontextmanager
async def subscribe(
    base_url: str,
    authorization: str,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    protocol: str = TRANSPORT_WS,
    origin: str | None = None,
) -> AsyncIterator[Subscription]:
    url = base_url.replace("http://", "ws://") + "/graphql"
    headers = {"Origin": origin} if origin else None
    async with websockets.connect(
        url,
        subprotocols=[websockets.Subprotocol(protocol)],
        additional_headers=headers,
    ) as ws:
        await ws.send(
            json.dumps({"type": "connection_init", "payload": {"authorization": authorization}})
        )
        ack = json.loads(await asyncio.wait_for(ws.recv(), 5))
        assert ack["type"] == "connection_ack", ack
        start = "subscribe" if protocol == TRANSPORT_WS else "start"
        payload = {"query": query, "variables": variables or {}}
        await ws.send(json.dumps({"type": start, "id": "1", "payload": payload}))
        yield Subscription(ws, protocol)
