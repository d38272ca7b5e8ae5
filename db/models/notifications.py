"""In-app notifications (SPEC §1.2 Notification): written in the transaction of the change
they announce."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Entity
from db.columns import enum_column
from domain.notifications import NotificationAudience, NotificationPriority, NotificationType


class Notification(Entity):
    """An in-app notice for one manufacturer's users or for the admins."""

    __tablename__ = "notifications"

    audience: Mapped[NotificationAudience] = mapped_column(enum_column(NotificationAudience))
    manufacturer_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("manufacturers.id", ondelete="CASCADE"), index=True
    )
    type: Mapped[NotificationType] = mapped_column(enum_column(NotificationType))
    priority: Mapped[NotificationPriority] = mapped_column(
        enum_column(NotificationPriority), default=NotificationPriority.NORMAL
    )
    job_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("manufacturing_jobs.id", ondelete="CASCADE"), index=True
    )
    order_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("orders.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    message: Mapped[str] = mapped_column(Text)
    is_read: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    read_at: Mapped[datetime | None] = mapped_column(default=None)
