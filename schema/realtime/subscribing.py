"""What every domain's subscriptions share: the `after` argument, reading a followed
record's global ID, and the NOT_FOUND they answer for a record that is not there."""

from __future__ import annotations

import uuid
from typing import Annotated

import strawberry
from graphql import GraphQLError

from resolvers.ids import InvalidGlobalId, decode_id
from resolvers.realtime import decode_cursor


def not_found(type_name: str, global_id: str) -> GraphQLError:
    return GraphQLError(f"No {type_name} with ID {global_id}", extensions={"code": "NOT_FOUND"})


def global_pk(global_id: str, type_name: str) -> uuid.UUID:
    try:
        found, pk = decode_id(global_id)
    except InvalidGlobalId:
        raise not_found(type_name, global_id) from None
    if found != type_name:
        raise not_found(type_name, global_id)
    return pk


def after_cursor(after: str | None) -> int | None:
    return None if after is None else decode_cursor(after)


AfterCursor = Annotated[
    str | None,
    strawberry.argument(
        description="Resume after this event's `cursor`: every later change is replayed, "
        "then the stream continues live. Omit to start from now."
    ),
]
