"""Helpers shared by every mutation's input and payload."""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

import strawberry
from strawberry.types import Info

from db.base import Entity
from schema.context import request_context
from schema.node import NODE_TYPES, build_optional

N = TypeVar("N")

INPUT = strawberry.argument(description="The mutation's input.")
EXPECTED_VERSION = "Refuse the change (CONFLICT) unless the record is still at this version."


def provided(data: Any, *, exclude: tuple[str, ...] = ("id", "expected_version")) -> dict[str, Any]:
    """The fields the client actually sent: omitted ones are UNSET and left unchanged;
    an explicit null clears the value. Keys are the Python (column) names."""
    return {
        f.name: getattr(data, f.name)
        for f in dataclasses.fields(data)
        if f.name not in exclude and getattr(data, f.name) is not strawberry.UNSET
    }


async def reload(info: Info[Any, Any], node_type: type[N], entity: Entity | None) -> N | None:
    """The committed state of a mutated entity, read like any query (derived columns
    included), for the payload."""
    if entity is None:
        return None
    source = NODE_TYPES[node_type.__name__].source
    row = await request_context(info).loaders.by_id(source).load(entity.id)
    return build_optional(node_type, row)
