"""Notifications in the graph: an in-app notice for one manufacturer's users or for our staff."""

from __future__ import annotations

import uuid
from datetime import datetime

import strawberry

from domain.notifications import NotificationAudience, NotificationPriority, NotificationType
from schema.descriptions import CREATED, UPDATED, VERSION
from schema.execution.relations import Lazy, to_one
from schema.jobs.types import ManufacturingJob
from schema.node import Node
from schema.notifications import enums as _enums  # noqa: F401 - registers the enum descriptions
from schema.orders import enums as _order_enums  # noqa: F401 - Technique, registered there


@strawberry.type(description="An in-app notice for one manufacturer's users or for our staff.")
class Notification(Node):
    pk: strawberry.Private[uuid.UUID]
    audience: NotificationAudience = strawberry.field(description="Who it is for.")
    type: NotificationType = strawberry.field(description="What it announces.")
    priority: NotificationPriority = strawberry.field(description="How urgent it is.")
    title: str = strawberry.field(description="One line.")
    message: str = strawberry.field(description="The text.")
    is_read: bool = strawberry.field(description="Marked read.")
    read_at: datetime | None = strawberry.field(description="When it was marked read.")
    created_at: datetime = strawberry.field(description=CREATED)
    updated_at: datetime = strawberry.field(description=UPDATED)
    version: int = strawberry.field(description=VERSION)
    job_id: strawberry.Private[uuid.UUID | None]
    order_id: strawberry.Private[uuid.UUID | None]
    manufacturer_id: strawberry.Private[uuid.UUID | None]

    job = to_one(ManufacturingJob, "job_id", description="The job it is about, if any.")

    order = to_one(
        Lazy("Order", "schema.orders.types"),
        "order_id",
        description="The order it is about, if any (null with FORBIDDEN for viewers who may "
        "not read orders).",
    )
