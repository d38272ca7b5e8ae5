"""Shared setup for the 3PL tests (no tests here): centers and variants to stock, and the
ledger read back from the database to check a level against its transactions."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from auth.actor import Actor
from db.engine import Database
from db.models import FulfillmentCenter, InventoryLevel, InventoryTransaction
from domain.enums import ActorType
from domain.fulfillment import LedgerKind, LedgerReference
from domain.permissions import Role
from resolvers.fulfillment.ledger import record
from resolvers.ids import decode_id
from tests.support import factories
from tests.support.graphql import GraphQLClient, mutation_document

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


# -- through the graph ------------------------------------------------------------------------

ERRORS = "errors { code field message }"
CENTER_FIELDS = """
  id code name isDefault isActive capabilities carrierPreferences operatingHours country
  version stats { unitsOnHand outboundOpen }
"""
CREATE_CENTER = mutation_document(
    "createFulfillmentCenter", f"fulfillmentCenter {{ {CENTER_FIELDS} }} {ERRORS}"
)
UPDATE_CENTER = mutation_document(
    "updateFulfillmentCenter", f"fulfillmentCenter {{ {CENTER_FIELDS} }} {ERRORS}"
)
DEACTIVATE_CENTER = mutation_document(
    "deactivateFulfillmentCenter", f"fulfillmentCenter {{ {CENTER_FIELDS} }} {ERRORS}"
)
LEVEL_FIELDS = """
  id onHand reserved incoming available binLocation reorderPoint maxThreshold alerts
  center { code } variant { sku } product { name }
"""
ADJUSTMENT_FIELDS = f"id quantity reason status note decidedBy level {{ {LEVEL_FIELDS} }}"
ADJUST = mutation_document("adjustInventory", f"adjustment {{ {ADJUSTMENT_FIELDS} }} {ERRORS}")
APPROVE_ADJUSTMENT = mutation_document(
    "approveInventoryAdjustment", f"adjustment {{ {ADJUSTMENT_FIELDS} }} {ERRORS}"
)
REJECT_ADJUSTMENT = mutation_document(
    "rejectInventoryAdjustment", f"adjustment {{ {ADJUSTMENT_FIELDS} }} {ERRORS}"
)
UPDATE_LEVEL = mutation_document(
    "updateInventoryLevel", f"inventoryLevel {{ {LEVEL_FIELDS} }} {ERRORS}"
)
OUTBOUND_FIELDS = """
  id shipmentNumber status proposed carrier trackingNumber trackingUrl version
  allowedTransitions
  center { code }
  items { quantity pickedAt orderItem { id quantity } level { onHand reserved } }
  pickList { binLocation sku quantity picked }
"""
CREATE_OUTBOUND = mutation_document(
    "createOutboundShipment", f"outboundShipment {{ {OUTBOUND_FIELDS} }} {ERRORS}"
)
MOVE_OUTBOUND = mutation_document(
    "transitionOutboundShipment", f"outboundShipment {{ {OUTBOUND_FIELDS} }} {ERRORS}"
)
CONSOLIDATE = (
    "mutation { consolidateOrders { results { orderId splitAcrossCenters linesMissing "
    "outboundShipment { " + OUTBOUND_FIELDS + " } } " + ERRORS + " } }"
)


async def graph_center(client: GraphQLClient, **values: Any) -> Any:
    n = next(_seq)
    values = {"code": f"FC-G{n}", "name": f"Center {n}", **values}
    return await client.mutate_ok(CREATE_CENTER, values, "fulfillmentCenter")


async def stock(
    database: Database,
    center_id: uuid.UUID,
    variant_id: uuid.UUID,
    quantity: int,
    *,
    bin_location: str | None = None,
) -> None:
    """Units on a center's shelf, as passed QC would put them there (the ledger's STOCK_IN)."""
    async with database.transaction() as session:
        level = await record(
            session,
            center_id=center_id,
            variant_id=variant_id,
            kind=LedgerKind.STOCK_IN,
            quantity=quantity,
            reference_type=LedgerReference.INBOUND_SHIPMENT,
            reference_id=None,
            actor=OPS,
        )
        if bin_location is not None:
            level.bin_location = bin_location
