"""Notification root query fields: the viewer's notifications."""

from __future__ import annotations

import strawberry

from schema.notifications.lists import NOTIFICATIONS


@strawberry.type
class NotificationQuery:
    notifications = NOTIFICATIONS.field(
        description="In-app notifications, newest first: a manufacturer's own; for staff the "
        "admins' unless `filter.audience` says otherwise."
    )
