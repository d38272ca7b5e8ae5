"""Fetching one node by exactly one of its unique keys (id, code, sku, reference, ...)."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import FromClause
from strawberry.types import Info

from domain.validation import camel
from schema.context import request_context
from schema.errors import bad_user_input
from schema.lists import filter_id
from schema.node import expose

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
