"""Ledger properties (issue 26 "Done when"): any sequence of stock-in, reserve, unreserve,
pick, incoming and adjustment leaves every level equal to the sum of its transactions and
never breaks an invariant; refused operations leave no row. Checked on the arithmetic alone
(many sequences) and through `ledger.record` on each database (fewer, each a fresh level)."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.engine import Database
from domain.errors import ErrorCode, UserErrors
from domain.fulfillment import (
    SIGNED_KINDS,
    AdjustmentReason,
    LedgerKind,
    LedgerReference,
    LevelQuantities,
    apply,
    movement,
    refusal,
)
from resolvers.fulfillment.ledger import record
from tests.support import fulfillment
from tests.support.fulfillment import OPS
from tests.support.graphql import GraphQLClient

quantities = st.integers(min_value=-30, max_value=30)
operations = st.lists(st.tuples(st.sampled_from(list(LedgerKind)), quantities), max_size=40)


def _holds(level: LevelQuantities) -> bool:
    return level.on_hand >= 0 and 0 <= level.reserved <= level.on_hand and level.incoming >= 0


@given(operations)
@settings(max_examples=400)
def test_any_sequence_keeps_the_invariants_and_refuses_only_what_would_break_them(ops):
    level = LevelQuantities()
    for kind, quantity in ops:
        refused = refusal(kind, quantity, level)
        candidate = apply(level, movement(kind, quantity))
        wrongly_signed = quantity == 0 or (kind not in SIGNED_KINDS and quantity < 0)
        if refused is None:
            assert _holds(candidate)
            level = candidate
        else:
            # Refused exactly when the quantity is malformed or the result breaks a rule.
            assert wrongly_signed or not _holds(candidate)
            assert refused.code is (
                ErrorCode.VALIDATION if wrongly_signed else ErrorCode.INSUFFICIENT_STOCK
            )
    assert level.available == level.on_hand - level.reserved >= 0


@given(ops=operations)
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
async def test_recorded_sequences_balance_and_refusals_leave_no_row(
    client: GraphQLClient, database: Database, ops
) -> None:
    # A fresh center per example: examples share the test's database.
    center = await fulfillment.center(database)
    variant = await fulfillment.variant(client)
    expected = LevelQuantities()
    accepted = 0
    for kind, quantity in ops:
        try:
            async with database.transaction() as session:
                await record(
                    session,
                    center_id=center,
                    variant_id=variant,
                    kind=kind,
                    quantity=quantity,
                    reference_type=LedgerReference.ADJUSTMENT,
                    reference_id=uuid.uuid4(),
                    reason=AdjustmentReason.COUNT_CORRECTION,
                    actor=OPS,
                )
        except UserErrors:
            assert refusal(kind, quantity, expected) is not None
        else:
            assert refusal(kind, quantity, expected) is None
            expected = apply(expected, movement(kind, quantity))
            accepted += 1
    state = await fulfillment.ledger(database, center, variant)
    assert state.balances
    assert state.transactions == accepted
    assert (state.on_hand, state.reserved, state.incoming) == (
        expected.on_hand,
        expected.reserved,
        expected.incoming,
    )


async def test_20_concurrent_reservations_of_the_last_10_units_reserve_exactly_10(
    client: GraphQLClient, database: Database
) -> None:
    if database.dialect != "postgresql":
        pytest.skip("concurrency is PostgreSQL's (SQLite has one writer)")
    center = await fulfillment.center(database)
    variant = await fulfillment.variant(client)
    async with database.transaction() as session:
        await record(
            session,
            center_id=center,
            variant_id=variant,
            kind=LedgerKind.STOCK_IN,
            quantity=10,
            reference_type=LedgerReference.INBOUND_SHIPMENT,
            reference_id=None,
            actor=OPS,
        )
    start = asyncio.Event()

    async def reserve_one() -> ErrorCode | None:
        await start.wait()
        try:
            async with database.transaction() as session:
                await record(
                    session,
                    center_id=center,
                    variant_id=variant,
                    kind=LedgerKind.RESERVE,
                    quantity=1,
                    reference_type=LedgerReference.ORDER,
                    reference_id=uuid.uuid4(),
                    actor=OPS,
                )
        except UserErrors as refused:
            return refused.problems[0].code
        return None

    tasks = [asyncio.create_task(reserve_one()) for _ in range(20)]
    await asyncio.sleep(0.05)
    start.set()
    outcomes = await asyncio.gather(*tasks)
    assert outcomes.count(None) == 10
    assert outcomes.count(ErrorCode.INSUFFICIENT_STOCK) == 10
    state = await fulfillment.ledger(database, center, variant)
    assert state.balances
    assert (state.on_hand, state.reserved, state.transactions) == (10, 10, 11)
