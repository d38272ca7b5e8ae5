"""Refuses a request body larger than `limits.max_bytes` before anything parses it, or one
that has not arrived whole within `connections.body_read_timeout_seconds`.

An ASGI wrapper around the /graphql HTTP route. It sits with the other admission checks in
auth/ (who may call, how often, how much) rather than in schema/limits.py, because it works
on raw HTTP before strawberry, JSON or GraphQL are involved: a declared Content-Length over
the limit is refused without reading the body, and a streamed body is read only up to the
limit. The answer is HTTP 413 with a GraphQL-shaped body, the same QUERY_TOO_COMPLEX figures
as the other limits (schema/limits.py).

The deadline counts from the moment the request's headers are in, over the whole body: a
client that trickles a byte now and then would otherwise hold its connection (and one of the
process's `max_connections`) for as long as it likes. It is answered 408, and uvicorn closes
the connection since the body was not read to its end.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("opsgraph")


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int, read_timeout_seconds: float) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.read_timeout_seconds = read_timeout_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._refuse(declared, scope, receive, send)
            return
        # Read the body here, at most max_bytes of it, and hand it on whole.
        chunks: list[bytes] = []
        size = 0
        more = True
        try:
            async with asyncio.timeout(self.read_timeout_seconds):
                while more:
                    message = await receive()
                    if message["type"] != "http.request":
                        return  # the client went away
                    chunk: bytes = message.get("body", b"")
                    size += len(chunk)
                    if size > self.max_bytes:
                        await self._refuse(size, scope, receive, send)
                        return
                    chunks.append(chunk)
                    more = bool(message.get("more_body", False))
        except TimeoutError:
            await self._too_slow(size, scope, receive, send)
            return
        body = b"".join(chunks)
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if delivered:
                return await receive()
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _refuse(self, size: int, scope: Scope, receive: Receive, send: Send) -> None:
        """`size` is the declared length, or what a streamed body had reached when refused."""
        message = f"The request body is larger than the {self.max_bytes} bytes allowed."
        extensions = {"limit": "bytes", "requested": size, "maximum": self.max_bytes}
        error = {"message": message, "extensions": {"code": "QUERY_TOO_COMPLEX", **extensions}}
        await answer(scope, receive, send, 413, error, close=False)

    async def _too_slow(self, size: int, scope: Scope, receive: Receive, send: Send) -> None:
        seconds = self.read_timeout_seconds
        message = f"The request body did not arrive within {seconds:g} seconds."
        await too_slow(scope, receive, send, message, size)


async def too_slow(scope: Scope, receive: Receive, send: Send, message: str, size: int) -> None:
    """A body that did not arrive in time (`message` says how), `size` bytes in: 408, and the
    connection closed. The client's (or its network's) doing, not ours: INFO, never ERROR."""
    client = scope.get("client")
    log.info(
        "%s (%s, %d bytes); answered 408",
        message,
        client[0] if client else "unknown client",
        size,
    )
    await answer(
        scope, receive, send, 408, {"message": message, "extensions": {"code": "BAD_REQUEST"}}
    )


async def answer(
    scope: Scope,
    receive: Receive,
    send: Send,
    status: int,
    error: dict[str, Any],
    *,
    close: bool = True,
) -> None:
    """Refuse a request with one GraphQL error. `close`: the rest of its body is not read, so
    the connection cannot serve another request."""
    headers = {"Connection": "close"} if close else None
    await JSONResponse({"errors": [error]}, status_code=status, headers=headers)(
        scope, receive, send
    )


def content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
