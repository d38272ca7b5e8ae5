"""The notification list: its filter input (and its SQL), sort keys, default."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import strawberry
from sqlalchemy import ColumnElement
from strawberry.types import Info

from auth.permissions import Permission
from domain.notifications import NotificationAudience, NotificationType
from resolvers.notifications import sources as notification_sources
from resolvers.notifications.rules import followed_audience
from resolvers.pagination import SortKey
from schema.inputs import optional
from schema.lists import ListOf
from schema.node import visibility
from schema.notifications import enums as _enums  # noqa: F401 - registers the enum descriptions

_TYPES = "schema.notifications.types"


@strawberry.input(description="Narrows a list of notifications. All given fields must match.")
class NotificationFilter:
    unread: bool | None = optional("Only unread (true) or only read (false) notifications.")
    types: list[NotificationType] | None = optional("Only these types.")
    audience: NotificationAudience | None = optional(
        "Whose notifications: staff see the admins' by default; a manufacturer "
        "only ever sees its own."
    )


def _notifications(
    info: Info[Any, Any], filter: NotificationFilter | None
) -> Sequence[ColumnElement[bool]]:
    audience = filter.audience if filter else None
    if not visibility(info, NOTIFICATIONS.node_type()).restricted:
        audience = followed_audience(False, audience)
    return notification_sources.notification_conditions(
        audience=audience,
        unread=filter.unread if filter else None,
        types=filter.types if filter else None,
    )


NOTIFICATIONS = ListOf(
    "Notification",
    _TYPES,
    notification_sources.NOTIFICATIONS,
    default_order=(SortKey("created_at", descending=True),),
    filter=NotificationFilter,
    where=_notifications,
    permission=Permission.VIEW_NOTIFICATIONS,
)
