"""Audit entries: written by every mutation inside its own transaction (SPEC §1.10)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncSession

from auth.actor import Actor
from db.base import BOOKKEEPING, Base
from db.column_bounds import clipped
from db.json_values import json_safe
from db.models import AuditLog
from domain.enums import AuditAction

# Shown instead of a secret's value (a model lists such columns in `__audit_redacted__`):
# the entry still says the field changed, never what it holds.
REDACTED = "[redacted]"


def snapshot(entity: Base) -> dict[str, Any]:
    """The audited column values of an ORM entity, JSON-ready, secrets redacted."""
    mapper = inspect(type(entity))
    redacted: frozenset[str] = getattr(type(entity), "__audit_redacted__", frozenset())
    values: dict[str, Any] = {}
    for attr in mapper.column_attrs:
        if attr.key in BOOKKEEPING:
            continue
        value = getattr(entity, attr.key)
        if attr.key in redacted:
            # A digest, so an update shows whether the secret changed without revealing it.
            value = None if value is None else f"{REDACTED}:{_digest(value)}"
        values[attr.key] = json_safe(value)
    return values


# Keyed with a random per-process key: a plain hash of a short secret (a 9-digit tax ID or
# routing number) is reversed by trying every candidate; this digest only tells whether the
# value changed within one update, which is all the before/after comparison needs.
_DIGEST_KEY = secrets.token_bytes(32)


def _digest(value: Any) -> str:
    return hmac.new(_DIGEST_KEY, str(value).encode(), hashlib.sha256).hexdigest()[:8]


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def record(
    session: AsyncSession,
    actor: Actor,
    action: AuditAction,
    entity: Base,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    context: dict[str, Any] | None = None,
    field_name: str | None = None,
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
        user_agent=clipped(AuditLog.__table__.c.user_agent, actor.user_agent),
        action=action,
        entity_type=type(entity).__name__,
        entity_id=getattr(entity, "id"),  # noqa: B009 - every audited model has an id
        changes={"before": before, "after": after, "changed_fields": changed},
        context=context,
    )
    if field_name is not None:
        # [002]'s single-field form, e.g. for a status change: old and new value.
        entry.field_name = field_name
        entry.old_value = _text((before or {}).get(field_name))
        entry.new_value = _text((after or {}).get(field_name))
    session.add(entry)
    return entry
