"""What the notification list reads from, and how its filter becomes SQL."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, FromClause

from db.models import (
    Notification,
)
from domain.notifications import NotificationAudience, NotificationType
from resolvers.filters import equal, one_of

NOTIFICATIONS: FromClause = Notification.__table__


def notification_conditions(
    *,
    audience: NotificationAudience | None,
    unread: bool | None,
    types: Sequence[NotificationType] | None,
) -> list[ColumnElement[bool]]:
    t = NOTIFICATIONS.c
    conditions = equal((t.audience, audience))
    if unread is not None:
        conditions.append(t.is_read == (not unread))
    return conditions + one_of(t.type, types)
