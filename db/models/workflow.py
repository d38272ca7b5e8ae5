"""Rows the shared mechanisms write: status history and per-year reference sequences."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, JSONValue, utcnow
from db.columns import enum_column
from domain.enums import ActorType


class StatusChange(Base):
    """One applied transition of any state machine (API.md `statusHistory`); insert-only."""

    __tablename__ = "status_history"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    entity_type: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[uuid.UUID] = mapped_column(index=True)
    from_status: Mapped[str] = mapped_column(String(32))
    to_status: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(Text)
    # The entity's version after the change.
    version: Mapped[int] = mapped_column(Integer)
    occurred_at: Mapped[datetime] = mapped_column(
        default=utcnow, server_default=func.now(), index=True
    )
    actor_id: Mapped[str | None] = mapped_column(String(64))
    actor_type: Mapped[ActorType] = mapped_column(enum_column(ActorType))
    actor_role: Mapped[str | None] = mapped_column(String(32))
    request_id: Mapped[str | None] = mapped_column(String(64))
    context: Mapped[dict[str, Any] | None] = mapped_column(JSONValue)


class ReferenceSequence(Base):
    """The last number handed out per (sequence, year): ORD-2026-001, later PO-2026-0042."""

    __tablename__ = "reference_sequences"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(Integer)
