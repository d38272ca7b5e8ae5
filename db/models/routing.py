"""Routing decisions: why each job went where it went (BR-1..BR-8, BR-24), kept as records."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ForeignKey,
    String,
    Text,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, JSONValue, utcnow
from db.columns import enum_column
from domain.jobs import (
    RoutedBy,
)
from domain.routing import ManufacturerSource


class RoutingDecision(Base):
    """Why a job went where it went: one row per routing choice, insert-only (BR-5, BR-7)."""

    __tablename__ = "routing_decisions"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    decided_at: Mapped[datetime] = mapped_column(
        default=utcnow, server_default=func.now(), index=True
    )
    order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("orders.id", ondelete="CASCADE"), index=True
    )
    job_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("manufacturing_jobs.id", ondelete="CASCADE"), index=True
    )
    product_family_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("product_families.id", ondelete="SET NULL")
    )
    manufacturer_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("manufacturers.id", ondelete="SET NULL")
    )
    previous_manufacturer_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("manufacturers.id", ondelete="SET NULL")
    )
    routed_by: Mapped[RoutedBy] = mapped_column(enum_column(RoutedBy))
    source: Mapped[ManufacturerSource | None] = mapped_column(enum_column(ManufacturerSource))
    reason: Mapped[str] = mapped_column(Text)
    # The reason as data (domain.routing_reasons); NULL for decisions recorded as text only.
    reason_detail: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONValue)
    # Every candidate considered, in cascade order, with why it was passed over.
    candidates: Mapped[list[dict[str, Any]]] = mapped_column(JSONValue, default=list)
    # Warnings as data (domain.routing_reasons.Notice); text in decisions recorded before.
    warnings: Mapped[list[str | dict[str, Any]]] = mapped_column(JSONValue, default=list)
    actor_id: Mapped[str | None] = mapped_column(String(64))
    actor_role: Mapped[str | None] = mapped_column(String(32))
