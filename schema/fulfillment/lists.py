"""The 3PL lists: their filter inputs (and their SQL), sort keys and defaults."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import strawberry
from sqlalchemy import ColumnElement, or_
from strawberry.types import Info

from auth.permissions import Permission
from domain.fulfillment import AdjustmentStatus, InventoryAlertKind, LedgerKind, OutboundStatus
from resolvers.fulfillment import sources
from resolvers.pagination import SortKey
from schema.context import request_context
from schema.fulfillment import enums as _enums  # noqa: F401 - registers the enum descriptions
from schema.inputs import optional
from schema.lists import ListOf, filter_values, order_input

_TYPES = "schema.fulfillment.types"


def aging_before(info: Info[Any, Any]) -> datetime:
    """Stock that has not moved since this time is aging (BR-18)."""
    days = request_context(info).settings.fulfillment.inventory_aging_days
    return datetime.now(UTC) - timedelta(days=days)


@strawberry.input(description="Narrows a list of fulfillment centers.")
class FulfillmentCenterFilter:
    active: bool | None = optional("Only active (true) or only inactive (false) centers.")
    search: str | None = optional("Case-insensitive substring of the code or name.")

    def conditions(self, info: Info[Any, Any]) -> list[ColumnElement[bool]]:
        return sources.center_conditions(**filter_values(self))


FULFILLMENT_CENTERS = ListOf(
    "FulfillmentCenter",
    _TYPES,
    sources.FULFILLMENT_CENTERS,
    default_order=(SortKey("code"),),
    filter=FulfillmentCenterFilter,
    permission=Permission.VIEW_FULFILLMENT_CENTERS,
)

InventoryLevelOrder = order_input(
    "InventoryLevel",
    "inventory levels",
    on_hand="By units on hand.",
    reserved="By units reserved.",
    bin_location="By bin location.",
    updated_at="By last change.",
    last_movement_at="By last movement.",
)


@strawberry.input(description="Narrows a list of inventory levels. All given fields must match.")
class InventoryLevelFilter:
    center_id: strawberry.ID | None = optional("Only levels of this fulfillment center.")
    variant_id: strawberry.ID | None = optional("Only levels of this variant.")
    product_id: strawberry.ID | None = optional(
        "Only levels of this product's variants (a product across locations)."
    )
    family_id: strawberry.ID | None = optional("Only levels of products of this family.")
    low_stock: bool | None = optional(
        "true: only levels whose available units are below their reorder point; false: "
        "only the others."
    )
    alerts: list[InventoryAlertKind] | None = optional("Only levels raising one of these alerts.")

    def conditions(self, info: Info[Any, Any]) -> list[ColumnElement[bool]]:
        values = filter_values(
            self,
            center_id="FulfillmentCenter",
            variant_id="Variant",
            product_id="Product",
            family_id="ProductFamily",
        )
        low_stock = values.pop("low_stock")
        before = aging_before(info)
        conditions = sources.level_conditions(**values, aging_before=before)
        if low_stock is not None:
            low = sources.alert_condition(InventoryAlertKind.LOW_STOCK, aging_before=before)
            conditions.append(low if low_stock else ~low)
        return conditions


INVENTORY_LEVELS = ListOf(
    "InventoryLevel",
    _TYPES,
    sources.INVENTORY_LEVELS,
    default_order=(SortKey("updated_at", True),),
    filter=InventoryLevelFilter,
    order=InventoryLevelOrder,
    permission=Permission.VIEW_INVENTORY,
)


@strawberry.input(description="Narrows the inventory alerts.")
class InventoryAlertFilter:
    center_id: strawberry.ID | None = optional("Only levels of this fulfillment center.")
    kinds: list[InventoryAlertKind] | None = optional("Only these alerts (default: all).")


def _alerting(info: Info[Any, Any], filter: InventoryAlertFilter | None) -> Sequence[Any]:
    kinds = (filter.kinds if filter else None) or list(InventoryAlertKind)
    center = filter_values(filter, center_id="FulfillmentCenter")["center_id"] if filter else None
    before = aging_before(info)
    return [
        *sources.level_conditions(center_id=center, aging_before=before),
        or_(*(sources.alert_condition(kind, aging_before=before) for kind in kinds)),
    ]


INVENTORY_ALERTS = ListOf(
    "InventoryLevel",
    _TYPES,
    sources.INVENTORY_LEVELS,
    default_order=(SortKey("on_hand"),),
    filter=InventoryAlertFilter,
    where=_alerting,
    permission=Permission.VIEW_INVENTORY,
)


@strawberry.input(description="Narrows the inventory ledger. All given fields must match.")
class InventoryTransactionFilter:
    center_id: strawberry.ID | None = optional("Only transactions of this fulfillment center.")
    variant_id: strawberry.ID | None = optional("Only transactions of this variant.")
    level_id: strawberry.ID | None = optional("Only transactions of this inventory level.")
    kinds: list[LedgerKind] | None = optional("Only these kinds.")

    def conditions(self, info: Info[Any, Any]) -> list[ColumnElement[bool]]:
        return sources.transaction_conditions(
            **filter_values(
                self,
                center_id="FulfillmentCenter",
                variant_id="Variant",
                level_id="InventoryLevel",
            )
        )


INVENTORY_TRANSACTIONS = ListOf(
    "InventoryTransaction",
    _TYPES,
    sources.INVENTORY_TRANSACTIONS,
    default_order=(SortKey("created_at", True),),
    filter=InventoryTransactionFilter,
    permission=Permission.VIEW_INVENTORY,
)


@strawberry.input(description="Narrows a list of adjustments.")
class InventoryAdjustmentFilter:
    statuses: list[AdjustmentStatus] | None = optional("Only adjustments in these statuses.")

    def conditions(self, info: Info[Any, Any]) -> list[ColumnElement[bool]]:
        return sources.adjustment_conditions(**filter_values(self))


INVENTORY_ADJUSTMENTS = ListOf(
    "InventoryAdjustment",
    _TYPES,
    sources.INVENTORY_ADJUSTMENTS,
    default_order=(SortKey("created_at", True),),
    filter=InventoryAdjustmentFilter,
    permission=Permission.VIEW_INVENTORY,
)


@strawberry.input(description="Narrows a list of outbound shipments. All given fields must match.")
class OutboundShipmentFilter:
    center_id: strawberry.ID | None = optional("Only shipments from this fulfillment center.")
    order_id: strawberry.ID | None = optional("Only shipments of this order.")
    statuses: list[OutboundStatus] | None = optional("Only shipments in these statuses.")

    def conditions(self, info: Info[Any, Any]) -> list[ColumnElement[bool]]:
        return sources.outbound_conditions(
            **filter_values(self, center_id="FulfillmentCenter", order_id="Order")
        )


OUTBOUND_SHIPMENTS = ListOf(
    "OutboundShipment",
    _TYPES,
    sources.OUTBOUND_SHIPMENTS,
    default_order=(SortKey("created_at", True),),
    filter=OutboundShipmentFilter,
    permission=Permission.VIEW_OUTBOUND,
)
