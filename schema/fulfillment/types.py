"""3PL object types: fulfillment centers, inventory levels and their ledger, adjustments,
outbound shipments and their items.

Cost fields (a level's cost per unit, a shipment's shipping cost) need VIEW_COSTS: sales see
inventory and outbound without them (SPEC §4). Relations go through the request's loaders.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from auth.permissions import Permission
from domain.fulfillment import (
    AdjustmentReason,
    AdjustmentStatus,
    CenterCapability,
    InventoryAlertKind,
    LedgerKind,
    LedgerReference,
    LevelQuantities,
    OutboundStatus,
)
from domain.jobs import ShippingCarrier
from resolvers.fulfillment import sources
from resolvers.fulfillment.outbound_workflow import OUTBOUND_WORKFLOW
from resolvers.pagination import SortKey
from schema.catalog.types import Product, Variant
from schema.context import request_context
from schema.descriptions import CREATED, UPDATED, VERSION
from schema.execution.relations import Lazy, children, to_one
from schema.fulfillment import enums as _enums  # noqa: F401 - registers the enum descriptions
from schema.fulfillment.lists import INVENTORY_LEVELS, INVENTORY_TRANSACTIONS, OUTBOUND_SHIPMENTS
from schema.money import Money, money
from schema.node import Node, build_nodes
from schema.permissions import requires
from schema.workflow import (
    ALLOWED_DESCRIPTION,
    HISTORY_DESCRIPTION,
    StatusChange,
    allowed_transitions,
    status_history,
)

_COST = requires(Permission.VIEW_COSTS)


@strawberry.type(description="What a fulfillment center holds and has in flight.")
class FulfillmentCenterStats:
    units_on_hand: int = strawberry.field(description="Units on its shelves, all variants.")
    inbound_awaiting: int = strawberry.field(
        description="Inbound shipments not yet received (EXPECTED, IN_TRANSIT, DELIVERED)."
    )
    outbound_open: int = strawberry.field(
        description="Outbound shipments not yet shipped (PENDING to PACKED)."
    )


@strawberry.type(description="A 3PL warehouse that receives, stores and ships our goods.")
class FulfillmentCenter(Node):
    pk: strawberry.Private[uuid.UUID]
    code: str = strawberry.field(description='Unique code, e.g. "FC-EAST".')
    name: str = strawberry.field(description="Name.")
    address_line1: str | None = strawberry.field(description="Street address.")
    address_line2: str | None = strawberry.field(description="Second address line.")
    city: str | None = strawberry.field(description="City.")
    region: str | None = strawberry.field(description="State or region.")
    postal_code: str | None = strawberry.field(description="Postal code.")
    country: str | None = strawberry.field(description="ISO 3166-1 alpha-2 country.")
    phone: str | None = strawberry.field(description="Phone.")
    email: str | None = strawberry.field(description="Email address.")
    contact_name: str | None = strawberry.field(description="Who to talk to.")
    is_default: bool = strawberry.field(
        description="Where inbound shipments go unless told otherwise (exactly one center)."
    )
    is_active: bool = strawberry.field(description="Inactive centers take no new work.")
    created_at: datetime = strawberry.field(description=CREATED)
    updated_at: datetime = strawberry.field(description=UPDATED)
    version: int = strawberry.field(description=VERSION)
    operating_hours: strawberry.Private[dict[str, Any]]
    capabilities: strawberry.Private[list[str]]
    carrier_preferences: strawberry.Private[list[str]]

    @strawberry.field(
        name="operatingHours", description='Opening hours by day, e.g. {"mon": "08:00-17:00"}.'
    )
    def operating_hours_json(self) -> JSON:
        return JSON(self.operating_hours or {})

    @strawberry.field(name="capabilities", description="What it does: receive, store, ship.")
    def capability_list(self) -> list[CenterCapability]:
        return [CenterCapability(c) for c in self.capabilities or ()]

    @strawberry.field(
        name="carrierPreferences", description="Carriers it prefers, most preferred first."
    )
    def carrier_list(self) -> list[ShippingCarrier]:
        return [ShippingCarrier(c) for c in self.carrier_preferences or ()]

    @strawberry.field(description="Units on hand, inbound awaiting receipt, open outbound.")
    async def stats(self, info: Info[Any, Any]) -> FulfillmentCenterStats:
        loader = request_context(info).loaders.by_column(sources.CENTER_STATS, "id")
        row = await loader.load(self.pk)
        return FulfillmentCenterStats(
            units_on_hand=int(row.units_on_hand) if row else 0,
            inbound_awaiting=int(row.inbound_awaiting) if row else 0,
            outbound_open=int(row.outbound_open) if row else 0,
        )

    inventory = INVENTORY_LEVELS.field(
        "Its inventory levels, most recently changed first unless ordered.",
        parent="fulfillment_center_id",
    )

    outbound_shipments = OUTBOUND_SHIPMENTS.field(
        "Its outbound shipments, newest first.", parent="fulfillment_center_id"
    )


def _alerts(level: Any, aging_before: datetime) -> list[InventoryAlertKind]:
    """BR-18 for one level, the same rules as the alert list's SQL."""
    found = []
    available = level.on_hand - level.reserved
    if level.reorder_point is not None and available < level.reorder_point:
        found.append(InventoryAlertKind.LOW_STOCK)
    if level.max_threshold is not None and level.on_hand > level.max_threshold:
        found.append(InventoryAlertKind.OVERSTOCK)
    moved = level.last_movement_at
    if level.on_hand > 0 and (moved is None or moved < aging_before):
        found.append(InventoryAlertKind.AGING)
    return found


@strawberry.type(
    description="How much of one variant (and lot) one center holds (SPEC BR-11..BR-19). "
    "Quantities change only through the ledger (transactions)."
)
class InventoryLevel(Node):
    pk: strawberry.Private[uuid.UUID]
    on_hand: int = strawberry.field(description="Units on the shelf.")
    reserved: int = strawberry.field(description="Of those, set aside for outbound shipments.")
    incoming: int = strawberry.field(description="Units expected on inbound shipments.")
    bin_location: str | None = strawberry.field(description="Where it is kept, e.g. A-03-2.")
    reorder_point: int | None = strawberry.field(
        description="Below this many available units the level is LOW_STOCK."
    )
    max_threshold: int | None = strawberry.field(
        description="Above this many on hand the level is OVERSTOCK."
    )
    last_counted_at: datetime | None = strawberry.field(description="When it was last counted.")
    last_movement_at: datetime | None = strawberry.field(
        description="When its last transaction happened."
    )
    created_at: datetime = strawberry.field(description=CREATED)
    updated_at: datetime = strawberry.field(description=UPDATED)
    version: int = strawberry.field(description=VERSION)
    fulfillment_center_id: strawberry.Private[uuid.UUID]
    variant_id: strawberry.Private[uuid.UUID]
    product_id: strawberry.Private[uuid.UUID]
    lot_id: strawberry.Private[uuid.UUID | None]
    cost_per_unit: strawberry.Private[Decimal | None]

    @strawberry.field(description="On hand minus reserved: what new orders may take.")
    def available(self) -> int:
        return LevelQuantities(self.on_hand, self.reserved, self.incoming).available

    @strawberry.field(
        name="costPerUnit", description="What one unit cost (cost data).", extensions=_COST
    )
    def cost_per_unit_money(self) -> Money | None:
        return money(self.cost_per_unit)

    @strawberry.field(description="The alerts it raises now (BR-18).")
    def alerts(self, info: Info[Any, Any]) -> list[InventoryAlertKind]:
        days = request_context(info).settings.fulfillment.inventory_aging_days
        return _alerts(self, datetime.now(UTC) - timedelta(days=days))

    center = to_one(
        FulfillmentCenter,
        "fulfillment_center_id",
        description="The center holding it; null (FORBIDDEN) for viewers who may not read centers.",
    )
    variant = to_one(Variant, "variant_id", description="The variant.")
    product = to_one(Product, "product_id", description="The variant's product.")

    transactions = INVENTORY_TRANSACTIONS.field("Its ledger, newest first.", parent="level_id")


@strawberry.type(description="One change to one inventory level (append-only, BR-17).")
class InventoryTransaction(Node):
    pk: strawberry.Private[uuid.UUID]
    kind: LedgerKind = strawberry.field(description="What it did.")
    quantity: int = strawberry.field(
        description="As given: positive, or signed for adjustments and incoming."
    )
    on_hand_change: int = strawberry.field(description="What it did to on hand.")
    reserved_change: int = strawberry.field(description="What it did to reserved.")
    incoming_change: int = strawberry.field(description="What it did to incoming.")
    on_hand_after: int = strawberry.field(description="On hand after it.")
    reserved_after: int = strawberry.field(description="Reserved after it.")
    incoming_after: int = strawberry.field(description="Incoming after it.")
    reference_type: LedgerReference = strawberry.field(description="What it answers to.")
    reason_code: AdjustmentReason | None = strawberry.field(
        description="The adjustment's reason code."
    )
    note: str | None = strawberry.field(description="A note.")
    performed_by: str | None = strawberry.field(description="Who made it (user ID).")
    created_at: datetime = strawberry.field(description="When it happened.")
    level_id: strawberry.Private[uuid.UUID]
    reference_id: strawberry.Private[uuid.UUID | None]

    @strawberry.field(description="The ID of the record it answers to (its UUID).")
    def reference_key(self) -> str | None:
        return None if self.reference_id is None else str(self.reference_id)

    level = to_one(InventoryLevel, "level_id", description="The level it changed.", required=True)


@strawberry.type(
    description="A change to on hand with a reason code (BR-16); above "
    "OPSGRAPH_ADJUSTMENT_APPROVAL_UNITS it waits for an admin."
)
class InventoryAdjustment(Node):
    pk: strawberry.Private[uuid.UUID]
    quantity: int = strawberry.field(description="Units added (positive) or removed.")
    reason: AdjustmentReason = strawberry.field(description="Why.")
    note: str | None = strawberry.field(description="What happened.")
    status: AdjustmentStatus = strawberry.field(description="Applied, pending or rejected.")
    requested_by: str | None = strawberry.field(description="Who asked for it.")
    decided_by: str | None = strawberry.field(description="Who applied or decided it.")
    decided_at: datetime | None = strawberry.field(description="When.")
    decision_note: str | None = strawberry.field(description="The admin's note.")
    created_at: datetime = strawberry.field(description=CREATED)
    updated_at: datetime = strawberry.field(description=UPDATED)
    version: int = strawberry.field(description=VERSION)
    level_id: strawberry.Private[uuid.UUID]

    level = to_one(InventoryLevel, "level_id", description="The level it changes.")


@strawberry.type(description="A line of an outbound shipment: part of one order line.")
class OutboundShipmentItem(Node):
    pk: strawberry.Private[uuid.UUID]
    quantity: int = strawberry.field(description="Units of the order line in this package.")
    picked_at: datetime | None = strawberry.field(description="When it was picked.")
    picked_by: str | None = strawberry.field(description="Who picked it.")
    created_at: datetime = strawberry.field(description=CREATED)
    updated_at: datetime = strawberry.field(description=UPDATED)
    version: int = strawberry.field(description=VERSION)
    shipment_id: strawberry.Private[uuid.UUID]
    order_item_id: strawberry.Private[uuid.UUID]
    level_id: strawberry.Private[uuid.UUID]

    order_item = to_one(
        Lazy("OrderItem", "schema.orders.types"),
        "order_item_id",
        description="The order line; null (FORBIDDEN) for viewers who may not read orders.",
    )
    level = to_one(InventoryLevel, "level_id", description="The stock it comes from.")


_BY_CREATION = (SortKey("created_at"),)


@strawberry.type(description="One stop of a picker's route: a bin, a SKU and how many.")
class PickListLine:
    bin_location: str | None = strawberry.field(description="Where to pick it.")
    sku: str = strawberry.field(description="The variant's SKU.")
    title: str = strawberry.field(description="The variant's title.")
    quantity: int = strawberry.field(description="Units to pick.")
    picked: bool = strawberry.field(description="Already picked.")
    item: OutboundShipmentItem = strawberry.field(description="The shipment item.")


@strawberry.type(description="A package leaving a center for a customer (SPEC §2.9).")
class OutboundShipment(Node):
    pk: strawberry.Private[uuid.UUID]
    shipment_number: str = strawberry.field(description="Unique number, OUT-YYYY-NNNN.")
    status: OutboundStatus = strawberry.field(description="Where it is.")
    proposed: bool = strawberry.field(
        description="Proposed by consolidation (BR-22) rather than created by hand."
    )
    carrier: ShippingCarrier | None = strawberry.field(description="The carrier.")
    tracking_number: str | None = strawberry.field(description="The carrier's number.")
    tracking_url: str | None = strawberry.field(
        description="Where the customer follows it (BR-40), for carriers with one."
    )
    weight_kg: Decimal | None = strawberry.field(description="Weight, kg.")
    length_cm: Decimal | None = strawberry.field(description="Length, cm.")
    width_cm: Decimal | None = strawberry.field(description="Width, cm.")
    height_cm: Decimal | None = strawberry.field(description="Height, cm.")
    picking_started_at: datetime | None = strawberry.field(description="When picking began.")
    packed_at: datetime | None = strawberry.field(description="When it was packed.")
    shipped_at: datetime | None = strawberry.field(description="When it was handed over.")
    delivered_at: datetime | None = strawberry.field(description="When it was delivered.")
    canceled_at: datetime | None = strawberry.field(description="When it was canceled.")
    created_at: datetime = strawberry.field(description=CREATED)
    updated_at: datetime = strawberry.field(description=UPDATED)
    version: int = strawberry.field(description=VERSION)
    order_id: strawberry.Private[uuid.UUID]
    fulfillment_center_id: strawberry.Private[uuid.UUID]
    shipping_cost: strawberry.Private[Decimal | None]

    @strawberry.field(
        name="shippingCost", description="What shipping it cost (cost data).", extensions=_COST
    )
    def shipping_cost_money(self) -> Money | None:
        return money(self.shipping_cost)

    order = to_one(
        Lazy("Order", "schema.orders.types"),
        "order_id",
        description="The order it ships; null (FORBIDDEN) for viewers who may not read orders.",
    )
    center = to_one(
        FulfillmentCenter,
        "fulfillment_center_id",
        description="The center it leaves from; null (FORBIDDEN) for viewers who may not "
        "read centers.",
    )
    items = children(
        OutboundShipmentItem, "shipment_id", description="What is in it.", order=_BY_CREATION
    )

    @strawberry.field(
        description="What to pick, in bin order (then SKU): the picker's route (BR-22)."
    )
    async def pick_list(self, info: Info[Any, Any]) -> list[PickListLine]:
        loaders = request_context(info).loaders
        items = await loaders.children(
            sources.OUTBOUND_SHIPMENT_ITEMS, "shipment_id", _BY_CREATION
        ).load(self.pk)
        levels = await loaders.by_id(sources.LEVELS).load_many([i.level_id for i in items])
        # Items keep their level and levels their variant (foreign keys, RESTRICT).
        variants = await loaders.by_id(sources.VARIANTS).load_many(
            [level.variant_id for level in levels if level is not None]
        )
        lines = [
            PickListLine(
                bin_location=level.bin_location if level else None,
                sku=variant.sku if variant else "",
                title=variant.title if variant else "",
                quantity=item.quantity,
                picked=item.picked_at is not None,
                item=build_nodes(OutboundShipmentItem, [item])[0],
            )
            for item, level, variant in zip(items, levels, variants, strict=True)
        ]
        return sorted(lines, key=lambda line: (line.bin_location or "\uffff", line.sku))

    @strawberry.field(description=HISTORY_DESCRIPTION)
    async def status_history(self, info: Info[Any, Any]) -> list[StatusChange]:
        return await status_history(info, self.pk)

    @strawberry.field(description=ALLOWED_DESCRIPTION)
    def allowed_transitions(self, info: Info[Any, Any]) -> list[OutboundStatus]:
        return allowed_transitions(info, OUTBOUND_WORKFLOW, OutboundStatus(self.status), None)
