"""The append-only audit log (SPEC §1.10, merged form).

Rows are only ever inserted: the migration installs triggers that reject UPDATE and DELETE.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, JSONValue, utcnow
from db.columns import enum_column
from domain.enums import ActorType, AuditAction


class AuditLog(Base):
    __tablename__ = "audit_log"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    occurred_at: Mapped[datetime] = mapped_column(
        default=utcnow, server_default=func.now(), index=True
    )
    request_id: Mapped[str | None] = mapped_column(String(64))
    actor_id: Mapped[str | None] = mapped_column(String(64))
    actor_type: Mapped[ActorType] = mapped_column(enum_column(ActorType))
    actor_role: Mapped[str | None] = mapped_column(String(32))
    actor_ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(500))
    action: Mapped[AuditAction] = mapped_column(enum_column(AuditAction))
    entity_type: Mapped[str] = mapped_column(String(64), index=True)
    entity_id: Mapped[uuid.UUID] = mapped_column(index=True)
    # [002] single-field form, used for status changes.
    field_name: Mapped[str | None] = mapped_column(String(64))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    # [003] form: {"before": {...}, "after": {...}, "changed_fields": [...]}
    changes: Mapped[dict[str, Any] | None] = mapped_column(JSONValue)
    context: Mapped[dict[str, Any] | None] = mapped_column(JSONValue)
