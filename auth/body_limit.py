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
        declared = _content_length(scope)
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
        response = JSONResponse(
            {
                "errors": [
                    {
                        "message": f"The request body is larger than the {self.max_bytes} "
                        "bytes allowed.",
                        "extensions": {
                            "code": "QUERY_TOO_COMPLEX",
                            "limit": "bytes",
                            "requested": size,
                            "maximum": self.max_bytes,
                        },
                    }
                ]
            },
            status_code=413,
        )
        await response(scope, receive, send)

    async def _too_slow(self, size: int, scope: Scope, receive: Receive, send: Send) -> None:
        # The client's (or its network's) doing, not ours: INFO, never ERROR.
        client = scope.get("client")
        log.info(
            "request body from %s not received within %.1f s (%d bytes); answered 408",
            client[0] if client else "unknown client",
            self.read_timeout_seconds,
            size,
        )
        response = JSONResponse(
            {
                "errors": [
                    {
                        "message": "The request body did not arrive within "
                        f"{self.read_timeout_seconds:g} seconds.",
                        "extensions": {"code": "BAD_REQUEST"},
                    }
                ]
            },
            status_code=408,
            headers={"Connection": "close"},
        )
        await response(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
