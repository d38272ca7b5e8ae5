"""How long a public answer may be kept, per root field: a field whose data changes rarely
(the storefront's COAs, SPEC §9.3) notes its own lifetime while it runs; a persisted GET's
Cache-Control then says the shortest lifetime among the root fields it answered
(schema/persisted/view.py), the server's default for fields that note none."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.requests import HTTPConnection


def cache_for(request: HTTPConnection | None, response_key: str, seconds: int) -> None:
    """A root field's own public lifetime (the storefront's COAs: 300 s, SPEC §9.3), noted
    under its response key while it runs; the operation's is the shortest of its root
    fields', the server's default for fields that note none (`max_age_of`)."""
    if request is None:
        return
    hints: dict[str, int] = getattr(request.state, "cache_hints", None) or {}
    hints[response_key] = min(seconds, hints.get(response_key, seconds))
    request.state.cache_hints = hints


def max_age_of(request: HTTPConnection, data: Mapping[str, Any] | None, default: int) -> int:
    """The public max-age of an answer: the shortest lifetime of the root fields it holds."""
    hints: dict[str, int] = getattr(request.state, "cache_hints", None) or {}
    if not data:
        return default
    return min(hints.get(key, default) for key in data)
