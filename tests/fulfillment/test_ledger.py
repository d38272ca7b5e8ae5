"""The inventory ledger (BR-11..BR-19): `ledger.record` is the one way a level changes; every
change is a transaction, refused ones leave nothing, and the database holds the invariants
even against a write that bypasses the code."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from db.engine import Database
from db.models import InventoryLevel, InventoryTransaction
from domain.errors import ErrorCode, UserErrors
from domain.fulfillment import AdjustmentReason, LedgerKind, LedgerReference
from resolvers.fulfillment.ledger import record
from tests.support import fulfillment
from tests.support.fulfillment import OPS
from tests.support.graphql import GraphQLClient


async def _move(
    database: Database,
    center_id: uuid.UUID,
    variant_id: uuid.UUID,
    kind: LedgerKind,
    quantity: int,
    *,
    reason: AdjustmentReason | None = None,
    lot_id: uuid.UUID | None = None,
) -> InventoryLevel:
    async with database.transaction() as session:
        return await record(
            session,
            center_id=center_id,
            variant_id=variant_id,
            lot_id=lot_id,
            kind=kind,
            quantity=quantity,
            reference_type=LedgerReference.ADJUSTMENT
            if kind is LedgerKind.ADJUSTMENT
            else LedgerReference.ORDER,
            reference_id=uuid.uuid4(),
            reason=reason,
            actor=OPS,
        )


async def _refused(
    database: Database, center_id: uuid.UUID, variant_id: uuid.UUID, kind: LedgerKind, q: int
) -> ErrorCode:
    with pytest.raises(UserErrors) as refused:
        await _move(database, center_id, variant_id, kind, q)
    return refused.value.problems[0].code


async def _transaction_count(database: Database) -> int:
    async with database.transaction() as session:
        return int(
            (
                await session.execute(select(func.count()).select_from(InventoryTransaction))
            ).scalar_one()
        )


async def test_3pl_inventory_1_stock_in_increases_on_hand(
    client: GraphQLClient, database: Database
) -> None:
    center, variant = await fulfillment.center(database), await fulfillment.variant(client)
    await _move(database, center, variant, LedgerKind.STOCK_IN, 12)
    level = await _move(database, center, variant, LedgerKind.STOCK_IN, 3)
    assert (level.on_hand, level.reserved, level.incoming) == (15, 0, 0)
    assert (await fulfillment.ledger(database, center, variant)).transactions == 2


async def test_3pl_inventory_2_reserve_lowers_available_but_not_on_hand(
    client: GraphQLClient, database: Database
) -> None:
    center, variant = await fulfillment.center(database), await fulfillment.variant(client)
    await _move(database, center, variant, LedgerKind.STOCK_IN, 10)
    level = await _move(database, center, variant, LedgerKind.RESERVE, 4)
    assert (level.on_hand, level.reserved, level.on_hand - level.reserved) == (10, 4, 6)
    level = await _move(database, center, variant, LedgerKind.UNRESERVE, 1)
    assert (level.on_hand, level.reserved) == (10, 3)


async def test_3pl_inventory_3_pick_lowers_on_hand_and_reserved(
    client: GraphQLClient, database: Database
) -> None:
    center, variant = await fulfillment.center(database), await fulfillment.variant(client)
    await _move(database, center, variant, LedgerKind.STOCK_IN, 10)
    await _move(database, center, variant, LedgerKind.RESERVE, 4)
    level = await _move(database, center, variant, LedgerKind.PICK, 4)
    assert (level.on_hand, level.reserved) == (6, 0)


async def test_3pl_inventory_6_the_log_is_accurate(
    client: GraphQLClient, database: Database
) -> None:
    center, variant = await fulfillment.center(database), await fulfillment.variant(client)
    moves = [
        (LedgerKind.INCOMING, 20),
        (LedgerKind.STOCK_IN, 20),
        (LedgerKind.INCOMING, -20),
        (LedgerKind.RESERVE, 7),
        (LedgerKind.PICK, 5),
        (LedgerKind.UNRESERVE, 2),
    ]
    for kind, quantity in moves:
        await _move(database, center, variant, kind, quantity)
    await _move(
        database, center, variant, LedgerKind.ADJUSTMENT, -3, reason=AdjustmentReason.DAMAGE_LOSS
    )
    state = await fulfillment.ledger(database, center, variant)
    assert state.balances and state.transactions == 7
    assert (state.on_hand, state.reserved, state.incoming) == (12, 0, 0)
    async with database.transaction() as session:
        rows = (
            await session.scalars(
                select(InventoryTransaction).order_by(InventoryTransaction.created_at)
            )
        ).all()
    assert [(r.kind, r.quantity) for r in rows] == [
        *moves,
        (LedgerKind.ADJUSTMENT, -3),
    ]
    assert [r.on_hand_after for r in rows] == [0, 20, 20, 20, 15, 15, 12]
    assert all(r.performed_by == "test-ops" for r in rows)
    assert rows[-1].reason_code is AdjustmentReason.DAMAGE_LOSS


async def test_reserving_more_than_is_available_is_insufficient_stock_and_writes_nothing(
    client: GraphQLClient, database: Database
) -> None:
    center, variant = await fulfillment.center(database), await fulfillment.variant(client)
    # No level yet: nothing is available, and no empty level is left behind.
    assert await _refused(database, center, variant, LedgerKind.RESERVE, 1) == (
        ErrorCode.INSUFFICIENT_STOCK
    )
    async with database.transaction() as session:
        assert (await session.scalars(select(InventoryLevel))).all() == []
    await _move(database, center, variant, LedgerKind.STOCK_IN, 5)
    await _move(database, center, variant, LedgerKind.RESERVE, 3)
    before = await fulfillment.ledger(database, center, variant)
    for kind, quantity in [
        (LedgerKind.RESERVE, 3),
        (LedgerKind.PICK, 4),
        (LedgerKind.UNRESERVE, 4),
        (LedgerKind.INCOMING, -1),
    ]:
        assert await _refused(database, center, variant, kind, quantity) == (
            ErrorCode.INSUFFICIENT_STOCK
        ), kind
    assert await fulfillment.ledger(database, center, variant) == before


async def test_an_adjustment_cannot_take_on_hand_below_what_is_reserved(
    client: GraphQLClient, database: Database
) -> None:
    center, variant = await fulfillment.center(database), await fulfillment.variant(client)
    await _move(database, center, variant, LedgerKind.STOCK_IN, 5)
    await _move(database, center, variant, LedgerKind.RESERVE, 4)
    with pytest.raises(UserErrors) as refused:
        await _move(
            database,
            center,
            variant,
            LedgerKind.ADJUSTMENT,
            -2,
            reason=AdjustmentReason.COUNT_CORRECTION,
        )
    assert refused.value.problems[0].code is ErrorCode.INSUFFICIENT_STOCK
    with pytest.raises(UserErrors) as no_reason:
        await _move(database, center, variant, LedgerKind.ADJUSTMENT, 1)
    assert no_reason.value.problems[0].code is ErrorCode.VALIDATION
    for kind, quantity in [(LedgerKind.STOCK_IN, 0), (LedgerKind.RESERVE, -1)]:
        assert await _refused(database, center, variant, kind, quantity) is ErrorCode.VALIDATION
    assert (await fulfillment.ledger(database, center, variant)).transactions == 2


async def test_the_database_refuses_a_level_that_breaks_an_invariant(
    client: GraphQLClient, database: Database
) -> None:
    center, variant = await fulfillment.center(database), await fulfillment.variant(client)
    level = await _move(database, center, variant, LedgerKind.STOCK_IN, 5)
    for values in [{"on_hand": -1}, {"reserved": 6}, {"reserved": -1}, {"incoming": -1}]:
        with pytest.raises(IntegrityError):
            async with database.transaction() as session:
                await session.execute(
                    update(InventoryLevel).where(InventoryLevel.id == level.id).values(**values)
                )


async def test_the_ledger_is_append_only_in_the_database(
    client: GraphQLClient, database: Database
) -> None:
    center, variant = await fulfillment.center(database), await fulfillment.variant(client)
    await _move(database, center, variant, LedgerKind.STOCK_IN, 5)
    with pytest.raises(Exception, match="append-only"):
        async with database.transaction() as session:
            await session.execute(update(InventoryTransaction).values(quantity=50))
    assert (await fulfillment.ledger(database, center, variant)).on_hand_sum == 5


async def test_a_level_is_keyed_by_center_variant_and_lot_with_no_lot_once(
    client: GraphQLClient, database: Database
) -> None:
    center, variant = await fulfillment.center(database), await fulfillment.variant(client)
    lot_a, lot_b = uuid.uuid4(), uuid.uuid4()
    await _move(database, center, variant, LedgerKind.STOCK_IN, 1)
    await _move(database, center, variant, LedgerKind.STOCK_IN, 2)
    await _move(database, center, variant, LedgerKind.STOCK_IN, 3, lot_id=lot_a)
    await _move(database, center, variant, LedgerKind.STOCK_IN, 4, lot_id=lot_b)
    level = await _move(database, center, variant, LedgerKind.STOCK_IN, 5, lot_id=lot_a)
    assert level.on_hand == 8
    async with database.transaction() as session:
        levels = (await session.scalars(select(InventoryLevel))).all()
    assert sorted((lv.lot_id is None, lv.on_hand) for lv in levels) == [
        (False, 4),
        (False, 8),
        (True, 3),
    ]
    # A second lot-less level of the same key is refused by the database itself.
    with pytest.raises(IntegrityError):
        async with database.transaction() as session:
            session.add(InventoryLevel(fulfillment_center_id=center, variant_id=variant))
            await session.flush()
