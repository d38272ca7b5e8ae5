"""Mutations declared in one call: the `errors` field every payload ends with, `mutation`
(a business rule run in one transaction, then a payload built from its result) and
`node_mutation`, the common case of a rule changing one node returned as committed; the
usual payload builders (`returning`, `returning_nodes`); and `input_mutation`, the
declaration under them all, for the mutations that are not one transaction (batches)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from auth.actor import Actor
from auth.permissions import Permission
from schema.errors import UserError
from schema.inputs import INPUT, mutate, provided, reload
from schema.node import load_nodes
from schema.permissions import requires
from schema.signatures import REQUIRED, declare

InputT = TypeVar("InputT")

NOTHING_CHANGED = "Why nothing changed; empty on success."


def user_errors(description: str = NOTHING_CHANGED) -> Any:
    """The payload's `errors: [UserError!]!` field. Declare it last in the class: the field
    order is the schema's, and clients read `errors` after what the mutation returned."""
    return strawberry.field(description=description)


def node_field(payload: type[Any]) -> tuple[str, type[Any]]:
    """A node payload's first field, `<node>: <Node> | None` (or a list of nodes): its name
    and node type."""
    field = payload.__strawberry_definition__.fields[0]
    node: type[Any] = field.type.of_type
    return field.python_name, node


# A mutation's business rule, given the session, the actor and the input.
Rule = Callable[[AsyncSession, Actor, InputT], Awaitable[Any]]
# The business rules behind create and update mutations: the fields the client sent, and for
# an update the record's ID and the version the client saw.
Create = Callable[[AsyncSession, Actor, dict[str, Any]], Awaitable[Any]]
Update = Callable[[AsyncSession, Actor, str, dict[str, Any], int | None], Awaitable[Any]]
# Builds the payload from the input, what the rule returned and the user errors.
Respond = Callable[[Info[Any, Any], InputT, Any, list[UserError]], Awaitable[Any]]


def creating(create: Create) -> Rule[Any]:
    """The rule of a create mutation: `create` with the fields the client sent."""
    return lambda session, actor, input: create(session, actor, provided(input, exclude=()))


def updating(update: Update) -> Rule[Any]:
    """The rule of an update mutation: `update` of the record `input.id` with the fields the
    client sent, refused unless it is still at `input.expected_version`."""
    return lambda session, actor, input: update(
        session, actor, input.id, provided(input), input.expected_version
    )


# Answers a mutation from its input, with the payload.
Resolve = Callable[[Info[Any, Any], InputT], Awaitable[Any]]


def input_mutation(
    payload: type[Any],
    input_type: type[InputT],
    permission: Permission,
    description: str,
    resolve: Resolve[InputT],
) -> Any:
    """A mutation `(input: <input_type>!): <payload>!` that requires `permission` and is
    answered by `resolve`. Use `mutation` unless the work is not one transaction."""

    async def field(root: Any, info: Info[Any, Any], input: Any) -> Any:
        return await resolve(info, input)

    declare(field, [("input", Annotated[input_type, INPUT])], payload, default=REQUIRED)
    return strawberry.mutation(
        resolver=field, description=description, extensions=requires(permission)
    )


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

    async def resolve(info: Info[Any, Any], input: Any) -> Any:
        result, errors = await mutate(info, lambda s, actor: rule(s, actor, input))
        return await respond(info, input, result, errors)

    return input_mutation(payload, input_type, permission, description, resolve)


def returning(payload: type[Any], empty: Any = None) -> Respond[Any]:
    """Answer with what the rule returned as it is (an ID, a count) in the payload's first
    field; `empty` when the rule changed nothing."""
    field = payload.__strawberry_definition__.fields[0].python_name

    async def respond(_: Info[Any, Any], __: Any, result: Any, errors: list[UserError]) -> Any:
        return payload(**{field: empty if result is None else result, "errors": errors})

    return respond


def returning_nodes(payload: type[Any]) -> Respond[Any]:
    """Answer with the entities the rule changed, as committed, in the payload's first field
    (`[<Node>!]!`); empty when the rule changed nothing."""
    field, node = node_field(payload)

    async def respond(info: Info[Any, Any], _: Any, found: Any, errors: list[UserError]) -> Any:
        nodes = await load_nodes(info, node, [entity.id for entity in found or []])
        return payload(**{field: nodes, "errors": errors})

    return respond


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
