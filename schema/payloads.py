"""Mutations declared in one call: the `errors` field every payload ends with, `mutation`
(a business rule run in one transaction, then a payload built from its result) and
`node_mutation`, the common case of a rule changing one node returned as committed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from auth.actor import Actor
from auth.permissions import Permission
from schema.errors import UserError
from schema.inputs import INPUT, mutate, reload
from schema.permissions import requires
from schema.signatures import REQUIRED, declare

InputT = TypeVar("InputT")

NOTHING_CHANGED = "Why nothing changed; empty on success."


def user_errors(description: str = NOTHING_CHANGED) -> Any:
    """The payload's `errors: [UserError!]!` field. Declare it last in the class: the field
    order is the schema's, and clients read `errors` after what the mutation returned."""
    return strawberry.field(description=description)


def node_field(payload: type[Any]) -> tuple[str, type[Any]]:
    """A node payload's first field, `<node>: <Node> | None`: its name and node type."""
    field = payload.__strawberry_definition__.fields[0]
    node: type[Any] = field.type.of_type
    return field.python_name, node


# A mutation's business rule, given the session, the actor and the input.
Rule = Callable[[AsyncSession, Actor, InputT], Awaitable[Any]]
# Builds the payload from the input, what the rule returned and the user errors.
Respond = Callable[[Info[Any, Any], InputT, Any, list[UserError]], Awaitable[Any]]


def mutation(
    payload: type[Any],
    input_type: type[InputT],
    permission: Permission,
    description: str,
    rule: Rule[InputT],
    respond: Respond[InputT],
) -> Any:
    """A mutation `(input: <input_type>!): <payload>!` that runs `rule` in one transaction
    (see `mutate`), then answers with `respond`."""

    async def resolve(root: Any, info: Info[Any, Any], input: Any) -> Any:
        result, errors = await mutate(info, lambda s, actor: rule(s, actor, input))
        return await respond(info, input, result, errors)

    declare(resolve, [("input", Annotated[input_type, INPUT])], payload, default=REQUIRED)
    return strawberry.mutation(
        resolver=resolve, description=description, extensions=requires(permission)
    )


def node_mutation(
    payload: type[Any],
    input_type: type[InputT],
    permission: Permission,
    description: str,
    rule: Rule[InputT],
) -> Any:
    """A `mutation` whose rule changes one node, returned as committed in the payload's first
    field (`<node>: <Node> | None`, then `errors`)."""
    field, node = node_field(payload)

    async def respond(info: Info[Any, Any], _: Any, entity: Any, errors: list[UserError]) -> Any:
        return payload(**{field: await reload(info, node, entity), "errors": errors})

    return mutation(payload, input_type, permission, description, rule, respond)
