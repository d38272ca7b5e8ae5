"""HTTP semantics of GraphQL responses: the response media type, request errors, and caching
of persisted GET queries (strong ETag, If-None-Match → 304).

Caching rule (README "Persisted queries"): only a persisted query sent by GET is cacheable,
and only when it answered 200 without errors. It is `public` (a CDN may keep it for
`public_max_age` seconds) when the caller sent no credentials, since then the answer
cannot depend on who asks; with credentials it is `private, no-cache` (the browser keeps
it and revalidates with its ETag every time). Everything else is `no-store`. `Vary`
names the headers the answer depends on.
"""

from __future__ import annotations

import hashlib

from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import Response

from schema.errors import BAD_USER_INPUT

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
VARY = "Authorization, Accept"
_KEPT_ON_304 = ("etag", "cache-control", "vary", "x-request-id")


def prefers_graphql_response(accept: str | None) -> bool:
    """True when the client lists application/graphql-response+json at least as high as
    application/json (GraphQL over HTTP); with no Accept header the answer is legacy JSON."""
    if not accept:
        return False
    weights: dict[str, float] = {}
    for item in accept.split(","):
        media_type, *params = (part.strip() for part in item.split(";"))
        weight = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        weights[media_type.lower()] = max(weight, weights.get(media_type.lower(), 0.0))
    wanted = weights.get(GRAPHQL_RESPONSE_JSON, 0.0)
    return wanted > 0 and wanted >= weights.get("application/json", 0.0)


def is_request_error(errors: list[GraphQLError] | None, data: object) -> bool:
    """A document that did not parse or validate (or variables that did not coerce):
    nothing ran, and the errors carry no path and no code but BAD_USER_INPUT (an input
    refused before it ran, schema/input_checks.py; the limits' QUERY_TOO_COMPLEX and
    RATE_LIMITED keep their own statuses)."""
    return (
        data is None
        and bool(errors)
        and all(
            e.path is None and (e.extensions or {}).get("code") in (None, BAD_USER_INPUT)
            for e in errors or ()
        )
    )


def strong_etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:40] + '"'


def cache_persisted_get(
    request: Request, response: Response, *, cacheable: bool, public: bool, max_age: int
) -> Response:
    """Adds the caching headers; answers 304 Not Modified (no body) when the client already
    holds this exact body."""
    response.headers["Vary"] = VARY
    if not cacheable or response.status_code != 200:
        response.headers["Cache-Control"] = "no-store"
        return response
    etag = strong_etag(bytes(response.body))
    response.headers["ETag"] = etag
    response.headers["Cache-Control"] = (
        f"public, max-age={max_age}" if public else "private, no-cache"
    )
    if _matches(request.headers.get("if-none-match"), etag):
        headers = {k: v for k, v in response.headers.items() if k.lower() in _KEPT_ON_304}
        return Response(status_code=304, headers=headers)
    return response


def _matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    candidates = {c.strip().removeprefix("W/") for c in if_none_match.split(",")}
    return "*" in candidates or etag in candidates
