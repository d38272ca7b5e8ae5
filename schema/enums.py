"""Expose a domain enum in the graph with a description on every value.

Domain enums stay free of GraphQL; this attaches the documentation at the schema edge and
refuses an enum with an undocumented value.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import TypeVar

import strawberry

E = TypeVar("E", bound=type[Enum])


def graphql_enum(
    enum: E, description: str, values: Mapping[Enum, str], name: str | None = None
) -> E:
    missing = [member.name for member in enum if member not in values]
    if missing:
        raise ValueError(f"{enum.__name__}: undocumented values {missing}")
    wrapped = strawberry.enum(enum, name=name, description=description)
    for value in wrapped.__strawberry_definition__.values:  # type: ignore[attr-defined]
        value.description = values[enum[value.name]]
    return wrapped
