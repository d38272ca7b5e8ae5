"""Designs (issue 29): a customer's artwork, by URL, with the prompt that made it."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Entity, JSONValue
from db.columns import enum_column
from domain.designs import DesignStatus


class Design(Entity):
    __tablename__ = "designs"

    customer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    image_url: Mapped[str] = mapped_column(String(2000))
    prompt: Mapped[str | None] = mapped_column(Text)
    metadata_: Mapped[dict[str, Any]] = mapped_column(
        "metadata", JSONValue, default=dict, key="metadata_"
    )
    status: Mapped[DesignStatus] = mapped_column(
        enum_column(DesignStatus), default=DesignStatus.READY, server_default="ready"
    )
