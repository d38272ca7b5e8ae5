"""Create, update and delete an entity with its audit entry: the shared write path."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from auth.actor import Actor
from db.base import Entity
from db.column_bounds import column_problems
from domain.enums import AuditAction
from domain.errors import ErrorCode, UserErrors
from resolvers import audit

E = TypeVar("E", bound=Entity)


def check_version(entity: Entity, expected_version: int | None) -> None:
    if expected_version is not None and entity.version != expected_version:
        raise UserErrors.one(
            ErrorCode.CONFLICT,
            f"expectedVersion is {expected_version} but the record is at version "
            f"{entity.version}; reload it",
            ("input", "expectedVersion"),
        )


def check_columns(entity: Entity, keys: Collection[str] | None = None) -> None:
    """Refuse values their columns cannot hold (db/column_bounds.py) before the database
    does: a VALIDATION error at the field rather than INTERNAL_SERVER_ERROR."""
    problems = column_problems(entity, keys)
    if problems:
        raise UserErrors(problems)


async def create(session: AsyncSession, actor: Actor, entity: E) -> E:
    check_columns(entity)
    session.add(entity)
    await session.flush()
    audit.record(session, actor, AuditAction.CREATED, entity, after=audit.snapshot(entity))
    return entity


async def update(
    session: AsyncSession,
    actor: Actor,
    entity: E,
    values: Mapping[str, Any],
    *,
    expected_version: int | None = None,
    action: AuditAction = AuditAction.UPDATED,
    context: dict[str, Any] | None = None,
) -> E:
    check_version(entity, expected_version)
    before = audit.snapshot(entity)
    for key, value in values.items():
        setattr(entity, key, value)
    check_columns(entity, values.keys())
    after = audit.snapshot(entity)
    if before != after:
        await session.flush()
        audit.record(session, actor, action, entity, before=before, after=after, context=context)
    return entity


async def soft_delete(session: AsyncSession, actor: Actor, entity: E) -> E:
    return await update(
        session, actor, entity, {"deleted_at": datetime.now(UTC)}, action=AuditAction.SOFT_DELETED
    )


async def hard_delete(session: AsyncSession, actor: Actor, entity: Entity) -> None:
    audit.record(session, actor, AuditAction.DELETED, entity, before=audit.snapshot(entity))
    await session.delete(entity)
    await session.flush()
