"""Marking notifications read."""

from __future__ import annotations

import strawberry

from auth.permissions import Permission
from domain.notifications import NotificationAudience
from resolvers.notifications import rules as notifications
from schema.errors import UserError
from schema.inputs import optional
from schema.notifications.types import Notification
from schema.payloads import mutation, returning, returning_nodes, user_errors


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
    audience: NotificationAudience | None = optional(
        "For staff: whose (the admins' by default). A manufacturer: its own."
    )


@strawberry.type(description="The result of marking every notification read.")
class MarkAllNotificationsReadPayload:
    marked_count: int = strawberry.field(description="How many were unread and are now read.")
    errors: list[UserError] = user_errors()


@strawberry.type
class NotificationMutation:
    mark_notifications_read = mutation(
        MarkNotificationsReadPayload,
        MarkNotificationsReadInput,
        Permission.VIEW_NOTIFICATIONS,
        "Mark notifications read. One you may not see is NOT_FOUND and none is marked.",
        lambda s, actor, input: notifications.mark_read(s, actor, list(input.ids)),
        returning_nodes(MarkNotificationsReadPayload),
    )

    mark_all_notifications_read = mutation(
        MarkAllNotificationsReadPayload,
        MarkAllNotificationsReadInput,
        Permission.VIEW_NOTIFICATIONS,
        "Mark every unread notification of yours read (staff: the admins', or "
        "those of `audience`).",
        lambda s, actor, input: notifications.mark_all_read(s, actor, input.audience),
        returning(MarkAllNotificationsReadPayload, empty=0),
    )
