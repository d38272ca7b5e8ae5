"""Notifications' published table: `notifications:admin` and
`notifications:manufacturer:{id}`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from db.change_log import Related, publish
from db.models import Notification
from domain.notifications import NotificationAudience


def notifications_channel(audience: NotificationAudience, manufacturer_id: Any = None) -> str:
    if audience is NotificationAudience.ADMIN:
        return "notifications:admin"
    return f"notifications:manufacturer:{manufacturer_id}"


def _notification(
    row: Mapping[str, Any], _old: Mapping[str, Any], _related: Related
) -> Iterable[str]:
    yield notifications_channel(NotificationAudience(row["audience"]), row["manufacturer_id"])


publish(Notification, _notification)
