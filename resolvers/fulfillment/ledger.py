"""The inventory ledger's one way in: `record` writes a transaction and changes its level in
the caller's database transaction (BR-11..BR-19). Nothing else changes a level's
quantities; inbound, outbound, adjustments and (next) procurement all call it.
"""

from __future__ import annotations

import uuid

from sqlalchemy import Table, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from auth.actor import Actor
from db.base import utcnow
from db.models import InventoryLevel, InventoryTransaction
from domain.errors import ErrorCode, UserErrors
from domain.fulfillment import (
    AdjustmentReason,
    LedgerKind,
    LedgerReference,
    LevelQuantities,
    apply,
    movement,
    refusal,
)


def quantities(level: InventoryLevel | None) -> LevelQuantities:
    if level is None:
        return LevelQuantities()
    return LevelQuantities(level.on_hand, level.reserved, level.incoming)


async def locked_level(
    session: AsyncSession,
    center_id: uuid.UUID,
    variant_id: uuid.UUID,
    lot_id: uuid.UUID | None = None,
) -> InventoryLevel | None:
    """The level of (center, variant, lot), locked for the rest of the transaction (on
    PostgreSQL; SQLite has one writer at a time), re-read from the database."""
    key = InventoryLevel.lot_id.is_(None) if lot_id is None else InventoryLevel.lot_id == lot_id
    statement = (
        select(InventoryLevel)
        .where(
            InventoryLevel.fulfillment_center_id == center_id,
            InventoryLevel.variant_id == variant_id,
            key,
        )
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def _create_level(
    session: AsyncSession,
    center_id: uuid.UUID,
    variant_id: uuid.UUID,
    lot_id: uuid.UUID | None,
) -> InventoryLevel:
    # Two transactions may stock a new level at once: the insert that loses the race does
    # nothing (the key's unique indexes) and both then lock the one row.
    table = InventoryLevel.__table__
    assert isinstance(table, Table)
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    await session.execute(
        insert(table)
        .values(
            id=uuid.uuid4(),
            fulfillment_center_id=center_id,
            variant_id=variant_id,
            lot_id=lot_id,
        )
        .on_conflict_do_nothing()
    )
    level = await locked_level(session, center_id, variant_id, lot_id)
    assert level is not None
    return level


async def record(
    session: AsyncSession,
    *,
    center_id: uuid.UUID,
    variant_id: uuid.UUID,
    lot_id: uuid.UUID | None = None,
    kind: LedgerKind,
    quantity: int,
    reference_type: LedgerReference,
    reference_id: uuid.UUID | None,
    reason: AdjustmentReason | None = None,
    note: str | None = None,
    actor: Actor,
) -> InventoryLevel:
    """Apply one inventory transaction to the level of (center, variant, lot) and append it
    to the ledger, in the caller's database transaction; returns the changed level.

    `quantity` is positive for STOCK_IN, RESERVE, UNRESERVE and PICK and signed (never
    zero) for ADJUSTMENT and INCOMING (domain.fulfillment.movement says what each does).
    The level is locked first, so concurrent callers queue and each sees the last one's
    result. A transaction that would break an invariant (reserving more than is available,
    picking or releasing more than is reserved, taking on hand below what is reserved or
    zero, incoming below zero) raises `UserErrors` (INSUFFICIENT_STOCK, or VALIDATION for a
    zero or wrongly signed quantity) and writes nothing, not even an empty level. A level
    that does not exist yet is created by the first transaction that can apply to it.
    ADJUSTMENT requires a reason (BR-16). The transaction row records the actor: it is the
    level's audit trail.
    """
    if kind is LedgerKind.ADJUSTMENT and reason is None:
        raise UserErrors.one(
            ErrorCode.VALIDATION, "an adjustment needs a reason code", ("input", "reason")
        )
    level = await locked_level(session, center_id, variant_id, lot_id)
    before = quantities(level)
    refused = refusal(kind, quantity, before)
    if refused is not None:
        raise UserErrors.one(refused.code, refused.message, ("input", "quantity"))
    if level is None:
        level = await _create_level(session, center_id, variant_id, lot_id)
        before = quantities(level)
        # Another transaction created and moved it first: decide again on what it holds.
        refused = refusal(kind, quantity, before)
        if refused is not None:
            raise UserErrors.one(refused.code, refused.message, ("input", "quantity"))
    change = movement(kind, quantity)
    after = apply(before, change)
    now = utcnow()
    level.on_hand, level.reserved, level.incoming = after.on_hand, after.reserved, after.incoming
    level.last_movement_at = now
    session.add(
        InventoryTransaction(
            level_id=level.id,
            fulfillment_center_id=center_id,
            variant_id=variant_id,
            lot_id=lot_id,
            kind=kind,
            quantity=quantity,
            on_hand_change=change.on_hand,
            reserved_change=change.reserved,
            incoming_change=change.incoming,
            on_hand_after=after.on_hand,
            reserved_after=after.reserved,
            incoming_after=after.incoming,
            reference_type=reference_type,
            reference_id=reference_id,
            reason_code=reason,
            note=note,
            performed_by=actor.id,
            created_at=now,
        )
    )
    await session.flush()
    return level
