"""Shared setup for the 3PL tests (no tests here): centers and variants to stock, and the
ledger read back from the database to check a level against its transactions."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select

from auth.actor import Actor
from db.engine import Database
from db.models import FulfillmentCenter, InventoryLevel, InventoryTransaction
from domain.enums import ActorType
from domain.permissions import Role
from resolvers.ids import decode_id
from tests.support import factories
from tests.support.graphql import GraphQLClient

OPS = Actor(type=ActorType.USER, id="test-ops", role=Role.OPS)
_seq = itertools.count(1)


async def center(
    database: Database, *, default: bool = False, code: str | None = None
) -> uuid.UUID:
    """A fulfillment center row (the ledger tests need one, not its mutations)."""
    n = next(_seq)
    async with database.transaction() as session:
        row = FulfillmentCenter(
            code=code or f"FC-T{n}",
            name=f"Test center {n}",
            is_default=default,
            capabilities=["receive", "ship", "store"],
        )
        session.add(row)
        await session.flush()
        return row.id


async def variant(client: GraphQLClient) -> uuid.UUID:
    """A variant of a product of its own, made through the catalog mutations."""
    product = await factories.product(client)
    made = await factories.variant(client, product["id"])
    return decode_id(made["id"])[1]


@dataclass(frozen=True)
class Ledger:
    """A level's quantities and the sums of its transactions' changes."""

    on_hand: int
    reserved: int
    incoming: int
    on_hand_sum: int
    reserved_sum: int
    incoming_sum: int
    transactions: int

    @property
    def balances(self) -> bool:
        return (self.on_hand, self.reserved, self.incoming) == (
            self.on_hand_sum,
            self.reserved_sum,
            self.incoming_sum,
        )


async def ledger(database: Database, center_id: uuid.UUID, variant_id: uuid.UUID) -> Ledger:
    async with database.transaction() as session:
        level = (
            await session.execute(
                select(InventoryLevel).where(
                    InventoryLevel.fulfillment_center_id == center_id,
                    InventoryLevel.variant_id == variant_id,
                )
            )
        ).scalar_one_or_none()
        sums = (
            await session.execute(
                select(
                    func.coalesce(func.sum(InventoryTransaction.on_hand_change), 0),
                    func.coalesce(func.sum(InventoryTransaction.reserved_change), 0),
                    func.coalesce(func.sum(InventoryTransaction.incoming_change), 0),
                    func.count(),
                ).where(
                    InventoryTransaction.fulfillment_center_id == center_id,
                    InventoryTransaction.variant_id == variant_id,
                )
            )
        ).one()
    if level is None:
        return Ledger(0, 0, 0, *sums)
    return Ledger(level.on_hand, level.reserved, level.incoming, *sums)
