"""Notifications rows of the permission matrix: staff read the admins' notifications, a
manufacturer its own."""

from __future__ import annotations

from typing import Any

from domain.notifications import NotificationType
from resolvers.ids import encode_id
from resolvers.notify import notify_manufacturer
from tests.support.permission_matrix import Case, World, mutation_case


async def _notification(world: World) -> dict[str, Any]:
    async with world.database.transaction() as session:
        notification = notify_manufacturer(
            session, world.own_manufacturer_uuid, NotificationType.DUE_SOON, "Due", "soon"
        )
    return {"ids": [encode_id("Notification", notification.id)]}


async def _mark_all(world: World) -> dict[str, Any]:
    return {}


CASES: list[Case] = [
    Case("Query.notifications", "{ notifications { totalCount } }", "UAOM"),
    mutation_case("markNotificationsRead", "UAOM", _notification),
    mutation_case("markAllNotificationsRead", "UAOM", _mark_all),
]
