"""Loading the rows a mutation works on, with NOT_FOUND and reference checks."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy import func, inspect, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.base import Base, Entity
from db.models import ManufacturingJob
from domain.errors import ErrorCode, Problem, UserErrors
from domain.validation import camel
from resolvers.ids import decode_input_id

E = TypeVar("E", bound=Entity)


def type_name(model: type[Entity]) -> str:
    """Models and GraphQL node types share their names (ProductFamily, Variant, ...)."""
    return model.__name__


def _is_live(entity: Entity) -> bool:
    return getattr(entity, "deleted_at", None) is None


def not_found(kind: str, global_id: str, field: str = "id") -> UserErrors:
    """The error for an input ID naming nothing the caller may change."""
    return UserErrors.one(ErrorCode.NOT_FOUND, f"No {kind} with ID {global_id}", ("input", field))


async def get_for_update(
    session: AsyncSession, model: type[E], global_id: str, field: str = "id"
) -> E:
    """The entity an input ID names, locked for the rest of the transaction."""
    pk = decode_input_id(global_id, type_name(model), field)
    entity = await session.get(model, pk, with_for_update=True)
    if entity is None or not _is_live(entity):
        raise not_found(type_name(model), global_id, field)
    return entity


async def resolve_references(
    session: AsyncSession, values: dict[str, Any], references: Mapping[str, type[Entity]]
) -> None:
    """Replace each provided reference ID in `values` by its UUID, checking that it exists.

    `references` maps an input field (named like the column) to the model it points at.
    A null value clears the reference. Every unknown ID is reported, not only the first.
    """
    problems: list[Problem] = []
    for field, model in references.items():
        if field not in values or values[field] is None:
            continue
        try:
            pk = decode_input_id(values[field], type_name(model), field)
        except UserErrors as exc:
            problems.extend(exc.problems)
            continue
        entity = await session.get(model, pk)
        if entity is None or not _is_live(entity):
            problems.append(
                Problem(
                    ErrorCode.NOT_FOUND,
                    f"No {type_name(model)} with ID {values[field]}",
                    ("input", field),
                )
            )
        values[field] = pk
    if problems:
        raise UserErrors(problems)


async def ensure_unique(
    session: AsyncSession,
    model: type[Entity],
    values: Mapping[str, Any],
    columns: Sequence[str],
    exclude: uuid.UUID | None = None,
) -> None:
    """CONFLICT for each provided value already used by another row (soft-deleted rows
    included: the database constraint still holds them)."""
    problems = []
    for column in columns:
        value = values.get(column)
        if value is None:
            continue
        attr = getattr(model, column)
        stmt = select(model.id).where(attr == value)
        if exclude is not None:
            stmt = stmt.where(model.id != exclude)
        if (await session.execute(stmt.limit(1))).first() is not None:
            problems.append(
                Problem(
                    ErrorCode.CONFLICT,
                    f"{camel(column)} {value!r} is already used by another {type_name(model)}",
                    ("input", column),
                )
            )
    if problems:
        raise UserErrors(problems)


async def count_references(session: AsyncSession, entity: Entity) -> dict[str, int]:
    """How many visible rows point at `entity`, per referencing table.

    Read from the foreign keys in the metadata, so tables added by later domains are
    counted without touching this code. Children deleted with their parent (ON DELETE
    CASCADE, e.g. a family's manufacturer assignments) are part of it, not references.
    """
    table = inspect(type(entity)).local_table
    counts: dict[str, int] = {}
    for other in Base.metadata.sorted_tables:
        for fk in other.foreign_keys:
            if fk.column.table is not table or fk.ondelete == "CASCADE":
                continue
            stmt = select(func.count()).select_from(other).where(fk.parent == entity.id)
            if "deleted_at" in other.c:
                stmt = stmt.where(other.c.deleted_at.is_(None))
            found = (await session.execute(stmt)).scalar_one()
            if found:
                counts[f"{other.name}.{fk.parent.name}"] = found
    return counts


async def jobs_of(
    session: AsyncSession, order_id: uuid.UUID, *, lock: bool = False
) -> list[ManufacturingJob]:
    """An order's jobs by job number (locked for update with `lock`): read by orders (the
    timeline, its guards), routing (what is already routed) and jobs (withdrawal on cancel),
    none of which may import another."""
    stmt = (
        select(ManufacturingJob)
        .where(ManufacturingJob.order_id == order_id)
        .order_by(ManufacturingJob.job_number)
    )
    if lock:
        stmt = stmt.with_for_update()
    return list((await session.scalars(stmt)).all())
