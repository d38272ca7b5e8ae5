"""What notifications add to the graph (schema/domain.py): a manufacturer owns its own."""

from __future__ import annotations

from auth.permissions import Permission
from resolvers.notifications import sources
from resolvers.notifications.rules import MAX_MARK
from resolvers.owners import MANUFACTURER_RECORD
from schema.domain import GraphDomain, NodeType
from schema.notifications.mutations import NotificationMutation
from schema.notifications.queries import NotificationQuery
from schema.notifications.subscriptions import NotificationSubscription
from schema.notifications.types import Notification

NOTIFICATIONS = GraphDomain(
    name="notifications",
    query=NotificationQuery,
    mutation=NotificationMutation,
    subscription=NotificationSubscription,
    nodes=(
        NodeType(
            Notification, sources.NOTIFICATIONS, Permission.VIEW_NOTIFICATIONS, MANUFACTURER_RECORD
        ),
    ),
    list_sizes={"MarkNotificationsReadPayload.notifications": MAX_MARK},
)
