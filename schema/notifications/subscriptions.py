"""`notificationAdded`: notifications created for the viewer, as they commit."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from auth.access import deny_not_owned
from auth.permissions import Permission
from db.publications.notifications import (
    notifications_channel,
)
from domain.enums import ChangeType
from domain.notifications import NotificationAudience
from resolvers.notifications.rules import followed_audience
from schema.context import request_context
from schema.node import visibility
from schema.notifications.types import Notification
from schema.realtime.events import (
    ChangeEvent,
    committed_node,
    event_fields,
)
from schema.realtime.messages import MessageGroup
from schema.realtime.subscribing import AfterCursor, after_cursor


@strawberry.type(description="A notification for the viewer was created.")
class NotificationAdded(ChangeEvent):
    notification: Notification = strawberry.field(description="The new notification.")


async def _notifications_added(
    info: Info[Any, Any],
    group: MessageGroup,
    audience: NotificationAudience | None,
    after: str | None,
) -> AsyncGenerator[NotificationAdded, None]:
    seen = visibility(info, Notification)
    followed = followed_audience(seen.restricted, audience)
    if followed is None or (seen.restricted and seen.owner_id is None):
        actor = request_context(info).actor
        raise deny_not_owned(actor, Permission.VIEW_NOTIFICATIONS, info.path.as_list())
    channel = notifications_channel(followed, seen.owner_id if seen.restricted else None)
    cursor = after_cursor(after)
    async for record in group.changes(channel, cursor):
        if record.event_type is not ChangeType.INSERT:
            continue
        notification = await committed_node(
            info, Notification, seen, record.entity_id, record, as_committed=True
        )
        if notification is None:
            continue
        yield NotificationAdded(
            notification=notification,
            **event_fields(info, record, Notification, notification),
        )


@strawberry.type
class NotificationSubscription:
    @strawberry.subscription(
        description="Notifications created for the viewer: a manufacturer's own; for staff, "
        "those of `audience` (the admins' by default). `after` resumes from a cursor."
    )
    async def notification_added(
        self,
        info: Info[Any, Any],
        audience: Annotated[
            NotificationAudience | None,
            strawberry.argument(description="Staff only: whose notifications (default ADMIN)."),
        ] = None,
        after: AfterCursor = None,
    ) -> AsyncGenerator[NotificationAdded, None]:
        group = MessageGroup(info)
        async for event in group.sent(_notifications_added(info, group, audience, after)):
            yield event
