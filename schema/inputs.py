"""Helpers shared by every mutation's input and payload."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from auth.actor import Actor
from db.base import Entity
from resolvers.mutations import run_mutation
from schema.context import request_context
from schema.errors import UserError
from schema.node import load_node

N = TypeVar("N")

INPUT = strawberry.argument(description="The mutation's input.")
EXPECTED_VERSION = "Refuse the change (CONFLICT) unless the record is still at this version."


def optional(description: str) -> Any:
    """An input field the client may leave out: null when it does (a filter field, an input
    a rule reads only in some cases)."""
    return strawberry.field(default=None, description=description)


def omittable(description: str) -> Any:
    """An input field that is UNSET when omitted: `provided` leaves it out, so what it sets
    stays as it is (an update) or takes its default (a create); an explicit null clears it."""
    return strawberry.field(default=strawberry.UNSET, description=description)


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
    return await load_node(info, node_type, entity.id if entity is not None else None)


Work = Callable[[AsyncSession, Actor], Awaitable[Any]]


async def mutate(info: Info[Any, Any], work: Work) -> tuple[Any, list[UserError]]:
    """Run a mutation's business rule in one transaction: (its result, the user errors)."""
    ctx = request_context(info)
    outcome = await run_mutation(ctx, lambda session: work(session, ctx.actor))
    return outcome.value, UserError.from_problems(outcome.problems)
