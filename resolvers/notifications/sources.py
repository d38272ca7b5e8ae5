"""What the notification list reads from, and how its filter becomes SQL."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, FromClause

from db.models import (
    Notification,
)
from domain.notifications import NotificationAudience, NotificationType

NOTIFICATIONS: FromClause = Notification.__table__


def notification_conditions(
    *,
    audience: NotificationAudience | None,
    unread: bool | None,
    types: Sequence[NotificationType] | None,
) -> list[ColumnElement[bool]]:
    t = NOTIFICATIONS.c
    conditions: list[ColumnElement[bool]] = []
    if audience is not None:
        conditions.append(t.audience == audience)
    if unread is not None:
        conditions.append(t.is_read == (not unread))
    if types:
        conditions.append(t.type.in_(list(types)))
    return conditions
