"""What the 3PL lists and loaders read from, and how their filters become SQL.

`INVENTORY_LEVELS` carries each level's product and family (through its variant), so the
level list filters by them in its one statement.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, FromClause, and_, false, func, or_, select

from db.models import (
    FulfillmentCenter,
    InboundShipment,
    InventoryAdjustment,
    InventoryLevel,
    InventoryTransaction,
    OutboundShipment,
    OutboundShipmentItem,
    Product,
    Variant,
)
from domain.fulfillment import (
    INBOUND_AWAITING,
    OUTBOUND_OPEN,
    AdjustmentStatus,
    InventoryAlertKind,
    LedgerKind,
    OutboundStatus,
)
from resolvers.filters import equal, one_of

FULFILLMENT_CENTERS: FromClause = FulfillmentCenter.__table__
INVENTORY_TRANSACTIONS: FromClause = InventoryTransaction.__table__
INVENTORY_ADJUSTMENTS: FromClause = InventoryAdjustment.__table__
OUTBOUND_SHIPMENTS: FromClause = OutboundShipment.__table__
OUTBOUND_SHIPMENT_ITEMS: FromClause = OutboundShipmentItem.__table__
# Plain tables the pick list reads by primary key.
LEVELS: FromClause = InventoryLevel.__table__
VARIANTS: FromClause = Variant.__table__


def _levels_with_product() -> FromClause:
    levels = InventoryLevel.__table__
    variants = Variant.__table__
    products = Product.__table__
    return (
        select(
            levels,
            variants.c.product_id,
            products.c.product_family_id,
            (levels.c.on_hand - levels.c.reserved).label("available"),
        )
        .select_from(
            levels.join(variants, variants.c.id == levels.c.variant_id).join(
                products, products.c.id == variants.c.product_id
            )
        )
        .subquery("inventory_levels_with_product")
    )


INVENTORY_LEVELS: FromClause = _levels_with_product()


def center_conditions(*, active: bool | None, search: str | None) -> list[ColumnElement[bool]]:
    t = FULFILLMENT_CENTERS.c
    conditions = equal((t.is_active, active))
    if search:
        pattern = f"%{search.strip().lower()}%"
        conditions.append(t.code.ilike(pattern) | t.name.ilike(pattern))
    return conditions


def alert_condition(kind: InventoryAlertKind, *, aging_before: datetime) -> ColumnElement[bool]:
    """BR-18 as SQL over INVENTORY_LEVELS."""
    t = INVENTORY_LEVELS.c
    match kind:
        case InventoryAlertKind.LOW_STOCK:
            return and_(t.reorder_point.is_not(None), t.available < t.reorder_point)
        case InventoryAlertKind.OVERSTOCK:
            return and_(t.max_threshold.is_not(None), t.on_hand > t.max_threshold)
        case InventoryAlertKind.AGING:
            # Stock on the shelf that has not moved since `aging_before`.
            return and_(
                t.on_hand > 0,
                or_(t.last_movement_at.is_(None), t.last_movement_at < aging_before),
            )


def level_conditions(
    *,
    center_id: uuid.UUID | None = None,
    variant_id: uuid.UUID | None = None,
    product_id: uuid.UUID | None = None,
    family_id: uuid.UUID | None = None,
    alerts: Sequence[InventoryAlertKind] | None = None,
    aging_before: datetime,
) -> list[ColumnElement[bool]]:
    t = INVENTORY_LEVELS.c
    conditions = equal(
        (t.fulfillment_center_id, center_id),
        (t.variant_id, variant_id),
        (t.product_id, product_id),
        (t.product_family_id, family_id),
    )
    if alerts is not None:
        if not alerts:
            return [false()]
        conditions.append(or_(*(alert_condition(k, aging_before=aging_before) for k in alerts)))
    return conditions


def transaction_conditions(
    *,
    center_id: uuid.UUID | None = None,
    variant_id: uuid.UUID | None = None,
    level_id: uuid.UUID | None = None,
    kinds: Sequence[LedgerKind] | None = None,
    reference_id: uuid.UUID | None = None,
) -> list[ColumnElement[bool]]:
    t = INVENTORY_TRANSACTIONS.c
    return [
        *equal(
            (t.fulfillment_center_id, center_id),
            (t.variant_id, variant_id),
            (t.level_id, level_id),
            (t.reference_id, reference_id),
        ),
        *one_of(t.kind, [k.value for k in kinds or ()]),
    ]


def adjustment_conditions(
    *, statuses: Sequence[AdjustmentStatus] | None = None
) -> list[ColumnElement[bool]]:
    return one_of(INVENTORY_ADJUSTMENTS.c.status, [s.value for s in statuses or ()])


def outbound_conditions(
    *,
    center_id: uuid.UUID | None = None,
    order_id: uuid.UUID | None = None,
    statuses: Sequence[OutboundStatus] | None = None,
) -> list[ColumnElement[bool]]:
    t = OUTBOUND_SHIPMENTS.c
    return [
        *equal((t.fulfillment_center_id, center_id), (t.order_id, order_id)),
        *one_of(t.status, [s.value for s in statuses or ()]),
    ]


def _center_stats() -> FromClause:
    """Per center: units on hand, inbound shipments awaiting receipt and open outbound
    shipments, one row per center."""
    centers = FulfillmentCenter.__table__
    levels = InventoryLevel.__table__
    inbound = InboundShipment.__table__
    outbound = OutboundShipment.__table__
    on_hand = (
        select(func.coalesce(func.sum(levels.c.on_hand), 0))
        .where(levels.c.fulfillment_center_id == centers.c.id)
        .scalar_subquery()
    )
    awaiting_inbound = (
        select(func.count())
        .select_from(inbound)
        .where(
            inbound.c.fulfillment_center_id == centers.c.id,
            inbound.c.status.in_([s.value for s in INBOUND_AWAITING]),
        )
        .scalar_subquery()
    )
    open_outbound = (
        select(func.count())
        .select_from(outbound)
        .where(
            outbound.c.fulfillment_center_id == centers.c.id,
            outbound.c.status.in_([s.value for s in OUTBOUND_OPEN]),
        )
        .scalar_subquery()
    )
    return select(
        centers.c.id,
        on_hand.label("units_on_hand"),
        awaiting_inbound.label("inbound_awaiting"),
        open_outbound.label("outbound_open"),
    ).subquery("fulfillment_center_stats")


CENTER_STATS: FromClause = _center_stats()
