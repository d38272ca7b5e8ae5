"""What every entity with a lifecycle exposes (API.md "Types and naming"): its status
history, and the transitions the current viewer may make, both from the one declaration."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

import strawberry
from sqlalchemy import FromClause
from strawberry.types import Info

from db.models import StatusChange as StatusChangeRow
from domain.enums import ActorType
from domain.workflow import StateMachine
from resolvers.pagination import SortKey
from resolvers.transitions import allowed_targets
from schema.context import request_context

S = TypeVar("S", bound=StrEnum)

STATUS_HISTORY: FromClause = StatusChangeRow.__table__
_CHRONOLOGICAL = (SortKey("occurred_at"), SortKey("version"))


@strawberry.type(description="One status change of a record: who, when, from, to and why.")
class StatusChange:
    from_status: str = strawberry.field(description="The status before (raw value).")
    to_status: str = strawberry.field(description="The status after (raw value).")
    reason: str | None = strawberry.field(description="Why, when the move takes a reason.")
    occurred_at: datetime = strawberry.field(description="When (UTC).")
    version: int = strawberry.field(description="The record's version after the change.")
    actor_type: str = strawberry.field(description="user, api_key or system.")
    actor_id: str | None = strawberry.field(description="Who (token subject or key id).")
    actor_role: str | None = strawberry.field(description="The role they acted with.")


async def status_history(info: Info[Any, Any], entity_id: uuid.UUID) -> list[StatusChange]:
    """A record's transitions, oldest first, batched across every record in the query."""
    loader = request_context(info).loaders.children(STATUS_HISTORY, "entity_id", _CHRONOLOGICAL)
    return [
        StatusChange(
            from_status=row.from_status,
            to_status=row.to_status,
            reason=row.reason,
            occurred_at=row.occurred_at,
            version=row.version,
            actor_type=ActorType(row.actor_type).value,
            actor_id=row.actor_id,
            actor_role=row.actor_role,
        )
        for row in await loader.load(entity_id)
    ]


def allowed_transitions(
    info: Info[Any, Any], machine: StateMachine[S], status: S, owner_id: uuid.UUID | None
) -> list[S]:
    """`allowedTransitions`: the moves the viewer's role and ownership grant from here."""
    return allowed_targets(machine, request_context(info).actor, status, owner_id)


HISTORY_DESCRIPTION = "Every status change, oldest first."
ALLOWED_DESCRIPTION = (
    "The statuses you may move this to now (your role and ownership; moves that need "
    "inputs, such as a tracking number, check them when made)."
)
