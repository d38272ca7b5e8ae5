"""Typed access to the request context from a resolver's `info`."""

from __future__ import annotations

from typing import Any

from strawberry.types import Info

from resolvers.context import RequestContext


def request_context(info: Info[Any, Any]) -> RequestContext:
    context: RequestContext = info.context
    return context
