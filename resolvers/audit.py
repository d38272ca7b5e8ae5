"""Audit entries: written by every mutation inside its own transaction (SPEC §1.10)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncSession

from auth.actor import Actor
from db.base import Base
from db.models import AuditLog
from domain.enums import AuditAction

_NOT_AUDITED = {"created_at", "updated_at", "version"}


def _json_safe(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    return value


def snapshot(entity: Base) -> dict[str, Any]:
    """The audited column values of an ORM entity, JSON-ready."""
    mapper = inspect(type(entity))
    return {
        attr.key: _json_safe(getattr(entity, attr.key))
        for attr in mapper.column_attrs
        if attr.key not in _NOT_AUDITED
    }


def record(
    session: AsyncSession,
    actor: Actor,
    action: AuditAction,
    entity: Base,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    context: dict[str, Any] | None = None,
) -> AuditLog:
    """Add an audit row for `entity`. For updates pass both snapshots: only the fields that
    changed are kept. Returns the row (flushed with the caller's transaction)."""
    changed = sorted(
        key
        for key in {*(before or {}), *(after or {})}
        if (before or {}).get(key) != (after or {}).get(key)
    )
    if before is not None and after is not None:
        before = {k: before.get(k) for k in changed}
        after = {k: after.get(k) for k in changed}
    entry = AuditLog(
        request_id=actor.request_id,
        actor_id=actor.id,
        actor_type=actor.type,
        actor_role=actor.role,
        actor_ip=actor.ip,
        user_agent=actor.user_agent,
        action=action,
        entity_type=type(entity).__name__,
        entity_id=getattr(entity, "id"),  # noqa: B009 - every audited model has an id
        changes={"before": before, "after": after, "changed_fields": changed},
        context=context,
    )
    session.add(entry)
    return entry
