"""Lists declared once. A `ListOf` names what a list shows (node type, source, filter and
order inputs, default order, permission); `.field()` turns it into a Relay connection field
with the same arguments and the same resolver everywhere, at the root or under a parent.
`order_input` builds a list's sort-key enum and input from the columns it sorts by."""

from __future__ import annotations

import dataclasses
import importlib
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import cache
from typing import Annotated, Any

import strawberry
from sqlalchemy import ColumnElement, FromClause
from strawberry.types import Info
from strawberry.utils.str_converters import to_camel_case

from auth.permissions import Permission
from resolvers.ids import InvalidGlobalId, decode_id
from resolvers.pagination import SortKey
from schema.connections import (
    After,
    Before,
    Connection,
    First,
    Last,
    OrderDirection,
    Window,
    freeze,
    resolve_connection,
    sort_keys,
)
from schema.errors import bad_user_input
from schema.permissions import requires
from schema.signatures import declare

# Argument descriptions of a root list, and of a list under a parent.
FILTER = "Only items matching every given field."
ORDER_BY = "Sort keys, in order; ties are broken by ID."
NESTED_ORDER_BY = "Sort keys, in order."

# What a list's filter turns into: SQL conditions, given the request (dialect, viewer).
Where = Callable[[Info[Any, Any], Any], Sequence[ColumnElement[bool]]]


def order_input(type_name: str, plural: str, **columns: str) -> type[Any]:
    """`<type_name>Order`, one sort key of a list, with its `<type_name>OrderField` enum:
    one value per column (keyword) with its description; the value is the column name."""
    fields = Enum(  # type: ignore[misc]  # the functional API with computed members
        f"{type_name}OrderField",
        {
            column.upper(): strawberry.enum_value(column, description=description)
            for column, description in columns.items()
        },
    )
    field_enum = strawberry.enum(fields, description=f"Fields {plural} can be sorted by.")
    namespace = {
        "__annotations__": {"field": field_enum, "direction": OrderDirection},
        "field": strawberry.field(description="What to sort by."),
        "direction": strawberry.field(
            default=OrderDirection.ASC, description="Sort direction; ascending by default."
        ),
    }
    order = type(f"{type_name}Order", (), namespace)
    return strawberry.input(order, description=f"One sort key for {plural}.")


def filter_id(value: strawberry.ID | None, type_name: str, field: str) -> uuid.UUID | None:
    """Decode an ID inside a filter; a bad one is BAD_USER_INPUT (queries have no payload)."""
    if value is None:
        return None
    try:
        found, pk = decode_id(value)
    except InvalidGlobalId as exc:
        raise bad_user_input(str(exc)) from exc
    if found != type_name:
        raise bad_user_input(f"filter.{field} must be the ID of a {type_name}")
    return pk


def filter_values(filter: Any, **ids: str) -> dict[str, Any]:
    """A filter's fields by Python name, as its conditions function takes them; each ID field
    named in `ids` (with the node type it must be the ID of) is decoded."""
    values = {field.name: getattr(filter, field.name) for field in dataclasses.fields(filter)}
    for name, type_name in ids.items():
        values[name] = filter_id(values[name], type_name, to_camel_case(name))
    return values


def filter_conditions(info: Info[Any, Any], filter: Any) -> Sequence[ColumnElement[bool]]:
    """The usual `Where`: what the filter input says, nothing without one."""
    return filter.conditions(info) if filter is not None else []


@dataclass(frozen=True)
class ListOf:
    """One list of the graph. `node` is the node type's name in `module`, looked up when the
    schema is built, so a list can be declared before (and beside) its node type."""

    node: str
    module: str
    source: FromClause
    default_order: Sequence[SortKey]
    filter: type[Any] | None = None
    order: type[Any] | None = None
    where: Where = filter_conditions
    permission: Permission | None = None
    # A list narrowed by one plain value (a photo stage) names its argument after it.
    filter_argument: str = "filter"

    def node_type(self) -> type[Any]:
        return _node_type(self.module, self.node)

    def field(
        self,
        description: str,
        *,
        parent: str | None = None,
        filter_description: str = FILTER,
    ) -> Any:
        """The connection field. At the root it requires the list's permission; with
        `parent` (the column naming the parent row) it pages under each parent, batched."""
        spec = self

        async def resolve(root: Any, info: Info[Any, Any], **arguments: Any) -> Any:
            filter = arguments.pop(spec.filter_argument, None)
            order_by = arguments.pop("order_by", None)
            return await resolve_connection(
                info,
                spec.node_type(),
                spec.source,
                window=Window(**arguments),
                order=sort_keys(order_by, spec.default_order),
                conditions=spec.where(info, filter),
                filter_key=None if parent is None else freeze(filter),
                parent=None if parent is None else (parent, root.pk),
            )

        order_description = ORDER_BY if parent is None else NESTED_ORDER_BY
        _declare_arguments(resolve, self, filter_description, order_description)
        extensions = requires(self.permission) if parent is None and self.permission else None
        return strawberry.field(resolver=resolve, description=description, extensions=extensions)


@cache
def _node_type(module: str, name: str) -> type[Any]:
    found: type[Any] = getattr(importlib.import_module(module), name)
    return found


def _declare_arguments(
    resolve: Callable[..., Any], spec: ListOf, filter_description: str, order_description: str
) -> None:
    """Filter and orderBy when the list has them, then the Relay window; a connection of the
    node type."""
    arguments: list[tuple[str, Any]] = []
    if spec.filter is not None:
        described = strawberry.argument(description=filter_description)
        arguments.append((spec.filter_argument, Annotated[spec.filter | None, described]))
    if spec.order is not None:
        described = strawberry.argument(description=order_description)
        order: Any = spec.order
        arguments.append(("order_by", Annotated[list[order] | None, described]))
    arguments += [("first", First), ("after", After), ("last", Last), ("before", Before)]
    node: Any = Annotated[spec.node, strawberry.lazy(spec.module)]
    declare(resolve, arguments, Connection[node])
