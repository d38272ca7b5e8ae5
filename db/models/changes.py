"""The change log: one row per committed change of a published entity (API.md "Realtime").

Subscriptions replay it (`after: <cursor>`) and every app process reads it to fill gaps in
what pub/sub delivered. Cursors come from `change_cursor`, a single counter row incremented
in the writing transaction: the row lock makes cursor order commit order, with no gaps.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, JSONValue


class ChangeRecord(Base):
    __tablename__ = "change_log"

    cursor: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    committed_at: Mapped[datetime] = mapped_column(index=True)
    table_name: Mapped[str] = mapped_column(String(63))
    entity_id: Mapped[uuid.UUID]
    # INSERT, UPDATE or DELETE (domain.enums.ChangeType).
    event_type: Mapped[str] = mapped_column(String(6))
    # Column names; `old_values` holds their previous values, `new_values` the whole row as
    # committed (JSON-encoded by db.change_log).
    changed_fields: Mapped[list[str]] = mapped_column(JSONValue)
    old_values: Mapped[dict[str, Any]] = mapped_column(JSONValue)
    new_values: Mapped[dict[str, Any]] = mapped_column(JSONValue)


class ChangeChannel(Base):
    """Which channels (`order:{id}`, `manufacturer:{id}:jobs`, …) a change belongs to: the
    index a replay of one channel reads."""

    __tablename__ = "change_log_channels"
    __table_args__ = (Index("ix_change_log_channels_channel_cursor", "channel", "cursor"),)

    cursor: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("change_log.cursor", ondelete="CASCADE"), primary_key=True
    )
    channel: Mapped[str] = mapped_column(String(120), primary_key=True)


class ChangeCursor(Base):
    """The one counter row: the last cursor handed out, and the newest cursor pruned by
    retention (an `after` older than that can no longer be replayed)."""

    __tablename__ = "change_cursor"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    value: Mapped[int] = mapped_column(BigInteger)
    pruned_through: Mapped[int] = mapped_column(BigInteger)
