"""Requests refused before any GraphQL runs, answered as GraphQL errors.

Whatever the reason (a body that is not JSON, a subscription sent over HTTP, a mutation
sent by GET), the client gets the GraphQL response shape it already reads, with an HTTP
status saying why and `extensions.code` BAD_REQUEST; never strawberry's plain-text body.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.responses import JSONResponse

BAD_REQUEST = "BAD_REQUEST"


class RefusedRequest(Exception):
    """Raised in the view while handling a request; answered by `response()`."""

    def __init__(self, status: int, message: str, headers: Mapping[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = dict(headers or {})

    def response(self) -> JSONResponse:
        body = {"errors": [{"message": self.message, "extensions": {"code": BAD_REQUEST}}]}
        return JSONResponse(body, status_code=self.status, headers=self.headers)
