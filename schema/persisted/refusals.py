"""Requests refused before any GraphQL runs, answered as GraphQL errors.

Whatever the reason (a body that is not JSON, a subscription sent over HTTP, a mutation
sent by GET), the client gets the GraphQL response shape it already reads, with an HTTP
status saying why and `extensions.code` BAD_REQUEST; never strawberry's plain-text body.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.responses import JSONResponse

from domain.bounds import text_problem

BAD_REQUEST = "BAD_REQUEST"


class RefusedRequest(Exception):
    """Raised in the view while handling a request; answered by `response()`."""

    def __init__(
        self,
        status: int,
        message: str,
        headers: Mapping[str, str] | None = None,
        *,
        code: str = BAD_REQUEST,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = dict(headers or {})
        self.code = code

    def response(self) -> JSONResponse:
        body = {"errors": [{"message": self.message, "extensions": {"code": self.code}}]}
        return JSONResponse(body, status_code=self.status, headers=self.headers)


# The request's own strings, which the server hashes, parses and logs.
_ENVELOPE_TEXT = ("query", "operationName", "documentId")


def envelope_text_problem(payload: Mapping[str, object]) -> str | None:
    """The refusal's message when one of the request's own strings is not text the server
    can hash, echo and log (a lone surrogate, which JSON can escape as \\ud800 but UTF-8
    cannot encode, or a NUL); None when all are. Strings inside `variables` are the input
    scalars' to refuse, at their field."""
    for key in _ENVELOPE_TEXT:
        value = payload.get(key)
        if isinstance(value, str) and (problem := text_problem(value)) is not None:
            return f"`{key}` {problem}."
    return None
