"""Fetching one node by exactly one of its unique keys (id, code, sku, reference, ...)."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

import strawberry
from sqlalchemy import FromClause
from strawberry.types import Info

from auth.permissions import Permission
from domain.validation import camel
from schema.context import request_context
from schema.errors import bad_user_input
from schema.lists import filter_id
from schema.node import expose
from schema.permissions import requires
from schema.signatures import declare

N = TypeVar("N")


async def lookup_node(
    info: Info[Any, Any], node_type: type[N], source: FromClause, keys: dict[str, Any]
) -> N | None:
    """`keys` maps column names to the arguments given; exactly one must be set. Null when
    nothing matches or the viewer may not see it."""
    given = {name: value for name, value in keys.items() if value is not None}
    if len(given) != 1:
        raise bad_user_input(f"Pass exactly one of: {', '.join(camel(k) for k in keys)}")
    ((name, value),) = given.items()
    if name == "id":
        value = filter_id(value, node_type.__name__, "id")
    row = await request_context(info).loaders.by_column(source, name).load(value)
    return expose(info, node_type, row)


def lookup_field(
    node_type: type[Any],
    source: FromClause,
    permission: Permission,
    description: str,
    **keys: str,
) -> Any:
    """The root field `<node>(id: ID, <key>: String, ...): <Node>`: one node by exactly one of
    `keys` (column name: argument description), in that order; `id` is the node's ID."""

    async def resolve(root: Any, info: Info[Any, Any], **given: Any) -> Any:
        return await lookup_node(info, node_type, source, {key: given[key] for key in keys})

    arguments = [
        (name, Annotated[_KEY_TYPES.get(name, str) | None, strawberry.argument(description=text)])
        for name, text in keys.items()
    ]
    declare(resolve, arguments, node_type | None)
    return strawberry.field(
        resolver=resolve, description=description, extensions=requires(permission)
    )


_KEY_TYPES: dict[str, Any] = {"id": strawberry.ID}
