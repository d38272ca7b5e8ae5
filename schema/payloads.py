"""What every mutation payload shares: the `errors` list it ends with; and the mutation of
the common case, a rule changing one node returned as committed, declared in one call."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from auth.actor import Actor
from auth.permissions import Permission
from db.base import Entity
from schema.inputs import INPUT, mutate_node
from schema.permissions import requires
from schema.signatures import REQUIRED, declare

InputT = TypeVar("InputT")

NOTHING_CHANGED = "Why nothing changed; empty on success."


def user_errors(description: str = NOTHING_CHANGED) -> Any:
    """The payload's `errors: [UserError!]!` field. Declare it last in the class: the field
    order is the schema's, and clients read `errors` after what the mutation returned."""
    return strawberry.field(description=description)


def _node_field(payload: type[Any]) -> tuple[str, type[Any]]:
    """A node payload's first field, `<node>: <Node> | None`: its name and node type."""
    field = payload.__strawberry_definition__.fields[0]
    node: type[Any] = field.type.of_type
    return field.python_name, node


Rule = Callable[[AsyncSession, Actor, InputT], Awaitable[Entity | None]]


def node_mutation(
    payload: type[Any],
    input_type: type[InputT],
    permission: Permission,
    description: str,
    rule: Rule[InputT],
) -> Any:
    """A mutation `(input: <input_type>!): <payload>!` that runs `rule` in one transaction
    (see `mutate_node`) and returns the node it changed, as committed, in the payload's first
    field (`<node>: <Node> | None`, then `errors`)."""
    field, node = _node_field(payload)

    async def resolve(root: Any, info: Info[Any, Any], input: Any) -> Any:
        changed, errors = await mutate_node(info, node, lambda s, actor: rule(s, actor, input))
        return payload(**{field: changed, "errors": errors})

    declare(resolve, [("input", Annotated[input_type, INPUT])], payload, default=REQUIRED)
    return strawberry.mutation(
        resolver=resolve, description=description, extensions=requires(permission)
    )
