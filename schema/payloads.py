"""What every mutation payload shares: the `errors` list it ends with, and for the common
case (one node as committed, then `errors`) the payload type and the mutations returning it,
declared in one line each."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from auth.actor import Actor
from auth.permissions import Permission
from db.base import Entity
from schema.errors import UserError
from schema.inputs import INPUT, mutate_node
from schema.permissions import requires

InputT = TypeVar("InputT")

NOTHING_CHANGED = "Why nothing changed; empty on success."

# Each node payload's field and node type, for the mutations returning it.
_NODE_FIELDS: dict[type[Any], tuple[str, type[Any]]] = {}


def user_errors(description: str = NOTHING_CHANGED) -> Any:
    """The payload's `errors: [UserError!]!` field. Declare it last in the class: the field
    order is the schema's, and clients read `errors` after what the mutation returned."""
    return strawberry.field(description=description)


def node_payload(
    name: str, description: str, node: type[Any], field: str, field_description: str
) -> type[Any]:
    """`name`: the payload of a mutation on one node, `field` holding it as committed (null
    when `errors` is not empty), then `errors`."""
    namespace = {
        "__annotations__": {field: node | None, "errors": list[UserError]},
        field: strawberry.field(description=field_description),
        "errors": user_errors(),
    }
    payload = strawberry.type(type(name, (), namespace), description=description)
    _NODE_FIELDS[payload] = (field, node)
    return payload


Rule = Callable[[AsyncSession, Actor, InputT], Awaitable[Entity | None]]


def node_mutation(
    payload: type[Any],
    input_type: type[InputT],
    permission: Permission,
    description: str,
    rule: Rule[InputT],
) -> Any:
    """A mutation `(input: <input_type>!): <payload>!` that runs `rule` in one transaction
    (see `mutate_node`) and returns the node it changed, as committed, in a `node_payload`."""
    field, node = _NODE_FIELDS[payload]

    async def resolve(root: Any, info: Info[Any, Any], input: Any) -> Any:
        changed, errors = await mutate_node(info, node, lambda s, actor: rule(s, actor, input))
        return payload(**{field: changed, "errors": errors})

    argument = inspect.Parameter.POSITIONAL_OR_KEYWORD
    parameters = [
        inspect.Parameter("self", argument),
        inspect.Parameter("info", argument, annotation=Info),
        inspect.Parameter("input", argument, annotation=Annotated[input_type, INPUT]),
    ]
    resolve.__signature__ = inspect.Signature(parameters, return_annotation=payload)  # type: ignore[attr-defined]
    resolve.__annotations__ = {"info": Info, "input": parameters[2].annotation, "return": payload}
    return strawberry.mutation(
        resolver=resolve, description=description, extensions=requires(permission)
    )
