"""The 3PL's demo data, played through its services as ops and an admin would: the two
fulfillment centers of SPEC §8 (Medallion LA, the default, and FC-EAST), opening counts as
adjustments (the large one approved by an admin), one low-stock level, the gym-shorts order
partly in stock, and the lounge-sets order's package shipped and in transit.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from auth.actor import Actor
from auth.permissions import Role
from db.models import FulfillmentCenter, InventoryAdjustment, Order, Variant
from domain.enums import ActorType
from domain.fulfillment import (
    AdjustmentReason,
    AdjustmentStatus,
    CenterCapability,
    OutboundStatus,
)
from domain.jobs import ShippingCarrier
from resolvers.fulfillment import rules
from resolvers.fulfillment.outbound import create_outbound
from resolvers.fulfillment.outbound_workflow import OUTBOUND_WORKFLOW
from resolvers.ids import encode_id, global_id_of
from resolvers.transitions import apply

DEMO_OPS = Actor(type=ActorType.USER, id="demo-ops", role=Role.OPS)
DEMO_ADMIN = Actor(type=ActorType.USER, id="demo-admin", role=Role.ADMIN)
APPROVAL_UNITS = 50  # the default OPSGRAPH_ADJUSTMENT_APPROVAL_UNITS

CENTERS = (
    {
        "code": "FC-LA",
        "name": "Medallion LA",
        "address_line1": "2200 E 7th St",
        "city": "Los Angeles",
        "region": "CA",
        "postal_code": "90023",
        "country": "US",
        "contact_name": "Logos Distribution receiving desk",
        "email": "receiving@medallion-la.example",
        "operating_hours": {"mon-fri": "07:00-17:00", "sat": "08:00-12:00"},
        "capabilities": list(CenterCapability),
        "carrier_preferences": [ShippingCarrier.UPS, ShippingCarrier.FEDEX, ShippingCarrier.USPS],
        "is_default": True,
    },
    {
        "code": "FC-EAST",
        "name": "East Coast Warehouse",
        "city": "Edison",
        "region": "NJ",
        "country": "US",
        "operating_hours": {"mon-fri": "08:00-18:00"},
        "capabilities": list(CenterCapability),
        "carrier_preferences": [ShippingCarrier.FEDEX, ShippingCarrier.UPS],
    },
)

# (center code, SKU, opening count, bin, reorder point, cost per unit)
STOCK = (
    ("FC-LA", "SWSET-OAT-S", 12, "C-02-1", None, "10.00"),
    ("FC-LA", "GSHORT-BLA-M", 60, "A-01-3", 20, "8.00"),  # above 50: approved by an admin
    ("FC-LA", "TEE-BLA-L", 30, "A-04-2", 50, "6.00"),  # below its reorder point: LOW_STOCK
    ("FC-EAST", "POLO-NAV-M", 40, "E-10-1", 10, "14.00"),
)
IN_TRANSIT_ORDER = "lounge-sets"


async def load(session: AsyncSession) -> None:
    """The 3PL demo, once: nothing when Medallion LA exists already."""
    if await session.scalar(select(FulfillmentCenter).filter_by(code="FC-LA")) is not None:
        return
    centers = {}
    for values in CENTERS:
        center = await rules.create_center(session, DEMO_ADMIN, {**values})
        centers[center.code] = center
    for code, sku, units, bin_location, reorder_point, cost in STOCK:
        variant = await session.scalar(select(Variant).filter_by(sku=sku))
        if variant is None:
            continue
        adjustment = await rules.adjust(
            session,
            DEMO_OPS,
            center_global_id=global_id_of(centers[code]),
            variant_global_id=global_id_of(variant),
            quantity=units,
            reason=AdjustmentReason.COUNT_CORRECTION,
            note="Opening count",
            approval_units=APPROVAL_UNITS,
        )
        if adjustment.status is AdjustmentStatus.PENDING_APPROVAL:
            await rules.decide_adjustment(
                session, DEMO_ADMIN, global_id_of(adjustment), approve=True, note="Counted twice"
            )
        await rules.set_level_details(
            session,
            DEMO_OPS,
            _level_id(adjustment),
            {
                "bin_location": bin_location,
                "reorder_point": reorder_point,
                "cost_per_unit": Decimal(cost),
            },
            None,
        )
    await _ship_in_transit(session)


def _level_id(adjustment: InventoryAdjustment) -> str:
    return encode_id("InventoryLevel", adjustment.level_id)


async def _ship_in_transit(session: AsyncSession) -> None:
    """The lounge-sets order, all in stock at the default center: one package shipped with
    UPS and in transit (its tracking is on the order's timeline)."""
    orders = (await session.scalars(select(Order))).all()
    order = next((o for o in orders if (o.metadata_ or {}).get("demo") == IN_TRANSIT_ORDER), None)
    if order is None:
        return
    shipment = await create_outbound(session, DEMO_OPS, global_id_of(order))
    inputs: dict[OutboundStatus, dict[str, object]] = {
        OutboundStatus.PACKED: {"weight_kg": Decimal("2.40")},
        OutboundStatus.SHIPPED: {
            "carrier": ShippingCarrier.UPS,
            "tracking_number": "1Z999AA10123456784",
            "shipping_cost": Decimal("18.50"),
        },
    }
    for target in (
        OutboundStatus.PICKING,
        OutboundStatus.PACKING,
        OutboundStatus.PACKED,
        OutboundStatus.SHIPPED,
        OutboundStatus.IN_TRANSIT,
    ):
        await apply(
            session, DEMO_OPS, OUTBOUND_WORKFLOW, shipment, target, inputs=inputs.get(target, {})
        )
