"""Marking notifications read."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from auth.permissions import Permission
from domain.notifications import NotificationAudience
from resolvers.notifications import rules as notifications
from schema.errors import UserError
from schema.inputs import INPUT, mutate
from schema.node import load_nodes
from schema.notifications.types import Notification
from schema.payloads import user_errors
from schema.permissions import requires


@strawberry.input(description="Notifications to mark read.")
class MarkNotificationsReadInput:
    ids: list[strawberry.ID] = strawberry.field(description="Their IDs (at most 100).")


@strawberry.type(description="The result of marking notifications read.")
class MarkNotificationsReadPayload:
    notifications: list[Notification] = strawberry.field(
        description="The notifications, now read; empty on errors."
    )
    errors: list[UserError] = user_errors()


@strawberry.input(description="Which notifications to mark read: all of yours.")
class MarkAllNotificationsReadInput:
    audience: NotificationAudience | None = strawberry.field(
        default=None,
        description="For staff: whose (the admins' by default). A manufacturer: its own.",
    )


@strawberry.type(description="The result of marking every notification read.")
class MarkAllNotificationsReadPayload:
    marked_count: int = strawberry.field(description="How many were unread and are now read.")
    errors: list[UserError] = user_errors()


@strawberry.type
class NotificationMutation:
    @strawberry.mutation(
        description="Mark notifications read. One you may not see is NOT_FOUND and none is marked.",
        extensions=requires(Permission.VIEW_NOTIFICATIONS),
    )
    async def mark_notifications_read(
        self, info: Info[Any, Any], input: Annotated[MarkNotificationsReadInput, INPUT]
    ) -> MarkNotificationsReadPayload:
        marked, errors = await mutate(
            info, lambda s, actor: notifications.mark_read(s, actor, list(input.ids))
        )
        found = await load_nodes(info, Notification, [n.id for n in marked or []])
        return MarkNotificationsReadPayload(notifications=found, errors=errors)

    @strawberry.mutation(
        description="Mark every unread notification of yours read (staff: the admins', or "
        "those of `audience`).",
        extensions=requires(Permission.VIEW_NOTIFICATIONS),
    )
    async def mark_all_notifications_read(
        self, info: Info[Any, Any], input: Annotated[MarkAllNotificationsReadInput, INPUT]
    ) -> MarkAllNotificationsReadPayload:
        count, errors = await mutate(
            info, lambda s, actor: notifications.mark_all_read(s, actor, input.audience)
        )
        return MarkAllNotificationsReadPayload(marked_count=count or 0, errors=errors)
