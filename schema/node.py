"""The Relay `Node` interface, and building node objects from database rows.

Node types are registered with the selectable they are read from, so `node(id:)` can load
any of them through the same per-request loaders as every other field.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar, cast

import strawberry
from sqlalchemy import FromClause
from strawberry.types import Info

from resolvers.ids import encode_id
from schema.context import request_context


@strawberry.interface(description="An object with a globally unique, opaque ID (Relay).")
class Node:
    id: strawberry.ID = strawberry.field(
        description="Globally unique opaque ID. Fetch the object again with `node(id:)`."
    )


N = TypeVar("N")


@dataclass(frozen=True)
class NodeBinding:
    node_type: type[Any]
    source: FromClause


NODE_TYPES: dict[str, NodeBinding] = {}


def register_node(node_type: type[N], source: FromClause) -> type[N]:
    NODE_TYPES[node_type.__name__] = NodeBinding(node_type, source)
    return node_type


@cache
def _row_fields(node_type: Any) -> tuple[str, ...]:
    return tuple(
        f.name for f in dataclasses.fields(node_type) if f.init and f.name not in ("id", "pk")
    )


def build_node(node_type: type[N], row: Any) -> N:
    """Instantiate a node type from a row (or ORM object): every field whose name matches a
    column is copied, and the global ID is derived from the row's primary key."""
    pk: uuid.UUID = row.id
    values = {name: getattr(row, name) for name in _row_fields(cast(Any, node_type))}
    node: N = node_type(id=strawberry.ID(encode_id(node_type.__name__, pk)), pk=pk, **values)  # type: ignore[call-arg]
    return node


def build_optional(node_type: type[N], row: Any | None) -> N | None:
    return None if row is None else build_node(node_type, row)


async def load_node(info: Info[Any, Any], node_type: type[N], pk: uuid.UUID | None) -> N | None:
    """A node by primary key through the request's loaders (null if missing or deleted)."""
    if pk is None:
        return None
    source = NODE_TYPES[node_type.__name__].source
    return build_optional(node_type, await request_context(info).loaders.by_id(source).load(pk))


async def load_existing(info: Info[Any, Any], node_type: type[N], pk: uuid.UUID) -> N:
    """`load_node` for a relation the schema declares non-null (a foreign key NOT NULL)."""
    node = await load_node(info, node_type, pk)
    if node is None:
        raise LookupError(f"{node_type.__name__} {pk} is missing")
    return node


async def load_nodes(info: Info[Any, Any], node_type: type[N], pks: Sequence[uuid.UUID]) -> list[N]:
    """Several nodes in one batch, in order; missing ones are left out."""
    source = NODE_TYPES[node_type.__name__].source
    rows = await request_context(info).loaders.by_id(source).load_many(list(pks))
    return [build_node(node_type, row) for row in rows if row is not None]
