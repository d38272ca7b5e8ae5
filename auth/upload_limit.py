"""Admission of multipart requests (GraphQL file uploads) on /graphql: streamed, counted,
refused as soon as they pass the limit.

Other requests go through `BodyLimit` (auth/body_limit.py), which reads the whole body
before handing it on: right for a JSON query of at most OPSGRAPH_MAX_QUERY_BYTES, wrong for a
photo. A `multipart/form-data` request is handed on as it arrives instead, its receive
channel counting: a declared Content-Length over the limit is answered 413 before any of
the body is read, and a streamed body is cut off at the limit (413, `Connection: close`, the
rest never read). The limit is OPSGRAPH_MAX_UPLOAD_BYTES plus room for the `operations` and
`map` parts; each file's own purpose limit is checked again while it is read
(resolvers/uploads.py). Parts are spooled to temporary files by the form parser, never held
whole in memory, and removed when the request ends. A client that stops sending for
`read_timeout_seconds` is answered 408.
"""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from auth.body_limit import answer, content_length, too_slow

UPLOAD_TOO_LARGE = "UPLOAD_TOO_LARGE"


class _Refused(Exception):
    def __init__(self, status: int, size: int) -> None:
        super().__init__(status)
        self.status = status
        self.size = size


def is_multipart(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if name == b"content-type":
            return bool(value.split(b";", 1)[0].strip().lower() == b"multipart/form-data")
    return False


class UploadAdmission:
    """Sends multipart requests to `app`, streamed and counted; others to `others`."""

    def __init__(
        self, app: ASGIApp, others: ASGIApp, max_bytes: int, read_timeout_seconds: float
    ) -> None:
        self.app = app
        self.others = others
        self.max_bytes = max_bytes
        self.read_timeout_seconds = read_timeout_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_multipart(scope):
            await self.others(scope, receive, send)
            return
        declared = content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._answer(413, declared, scope, receive, send)
            return
        size = 0
        started = False

        async def counted() -> Message:
            nonlocal size
            try:
                async with asyncio.timeout(self.read_timeout_seconds):
                    message = await receive()
            except TimeoutError:
                raise _Refused(408, size) from None
            if message["type"] == "http.request":
                size += len(message.get("body", b""))
                if size > self.max_bytes:
                    raise _Refused(413, size)
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except _Refused as refused:
            if started:  # cannot happen before the body is read; never answer twice
                raise
            await self._answer(refused.status, refused.size, scope, receive, send)

    async def _answer(
        self, status: int, size: int, scope: Scope, receive: Receive, send: Send
    ) -> None:
        if status == 408:
            message = f"The upload stopped arriving for {self.read_timeout_seconds:g} seconds."
            await too_slow(scope, receive, send, message, size)
            return
        error = {
            "message": f"The upload is larger than the {self.max_bytes} bytes allowed.",
            "extensions": {"code": UPLOAD_TOO_LARGE, "requested": size, "maximum": self.max_bytes},
        }
        await answer(scope, receive, send, status, error)
