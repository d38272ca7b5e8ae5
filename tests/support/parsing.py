"""Counting how often a document is parsed and validated on the way to execution."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import graphql
import pytest

# Every module that parses a document on the way to execution.
PARSERS = ("schema.limits", "strawberry.schema.schema", "schema.persisted.documents")


def count_parsing(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """From now on, "parse" or "validate" is appended to the returned list at each call."""
    calls: list[str] = []

    def counting(name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            calls.append(name)
            return real(*args, **kwargs)

        return wrapper

    for module in PARSERS:
        monkeypatch.setattr(f"{module}.parse", counting("parse", graphql.parse))
    monkeypatch.setattr("strawberry.schema.schema.validate", counting("validate", graphql.validate))
    return calls
