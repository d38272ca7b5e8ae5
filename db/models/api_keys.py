"""Partner API keys: only a hash of the key is stored; the key is shown once, at creation."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Entity
from db.columns import enum_column
from domain.permissions import Role


class ApiKey(Entity):
    __tablename__ = "api_keys"
    __audit_redacted__: ClassVar[frozenset[str]] = frozenset({"key_hash"})

    name: Mapped[str] = mapped_column(String(100))
    # The key's public part ("ogk_" + 8 hex): identifies it in lists and finds its row.
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    # SHA-256 of the whole key. Keys carry 256 random bits, so a fast hash is enough.
    key_hash: Mapped[str] = mapped_column(String(64))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    created_by: Mapped[str | None] = mapped_column(String(64))
    expires_at: Mapped[datetime | None] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column()
    revoked_by: Mapped[str | None] = mapped_column(String(64))
    last_used_at: Mapped[datetime | None] = mapped_column()
