"""Certificates of analysis (SPEC §1.7 Coa) and the lots each covers (LotCoa, many to
many: one supplier COA often covers a batch that arrives as several lots). Regulatory
records: never deleted (no delete mutation, ON DELETE RESTRICT everywhere)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Entity, JSONValue
from db.columns import enum_column
from domain.coas import CoaStatus


class Coa(Entity):
    __tablename__ = "coas"
    __table_args__ = (
        CheckConstraint(
            "purity_percentage IS NULL OR (purity_percentage >= 0 AND purity_percentage <= 100)",
            name="purity_is_a_percentage",
        ),
        CheckConstraint("revision >= 1", name="revision_positive"),
    )

    # The stored PDF (files.id); its storage key is file_key (BR-45).
    file_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("files.id", ondelete="RESTRICT"), index=True
    )
    file_key: Mapped[str] = mapped_column(String(200), unique=True)
    file_sha256: Mapped[str] = mapped_column(String(64))
    purity_percentage: Mapped[Decimal | None] = mapped_column(Numeric(6, 3))
    analysis_date: Mapped[date | None] = mapped_column(Date, default=None)
    lab_name: Mapped[str | None] = mapped_column(String(200))
    lab_reference: Mapped[str | None] = mapped_column(String(100), index=True)
    # Per-test results as the lab gives them: [{"test": "HPLC", "result": "98.7%"}, ...].
    purity_records: Mapped[list[dict[str, Any]]] = mapped_column(JSONValue, default=list)
    notes: Mapped[str | None] = mapped_column(Text)
    status: Mapped[CoaStatus] = mapped_column(
        enum_column(CoaStatus),
        default=CoaStatus.DRAFT,
        server_default=CoaStatus.DRAFT.value,
        index=True,
    )
    status_changed_at: Mapped[datetime | None] = mapped_column(default=None)
    status_reason: Mapped[str | None] = mapped_column(Text)
    revision: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # The COA this one revises (revision - 1), and the one that replaced it.
    revises_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("coas.id", ondelete="RESTRICT"), index=True
    )
    # SPEC's `superseded_by`; the attribute says it is an ID (the graph's supersededBy is
    # the COA itself).
    superseded_by_id: Mapped[uuid.UUID | None] = mapped_column(
        "superseded_by", ForeignKey("coas.id", ondelete="RESTRICT"), key="superseded_by_id"
    )
    retention_until: Mapped[date] = mapped_column(Date)
    verified: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    verified_by: Mapped[str | None] = mapped_column(String(64))
    verified_at: Mapped[datetime | None] = mapped_column(default=None)


class LotCoa(Entity):
    __tablename__ = "lot_coas"
    __table_args__ = (UniqueConstraint("lot_id", "coa_id"),)

    lot_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("lots.id", ondelete="RESTRICT"), index=True
    )
    coa_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("coas.id", ondelete="RESTRICT"), index=True
    )
