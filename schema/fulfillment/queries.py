"""3PL root query fields: centers, inventory (levels, a product across locations, the
ledger, alerts, adjustments) and outbound shipments."""

from __future__ import annotations

import strawberry

from auth.permissions import Permission
from resolvers.fulfillment import sources
from schema.fulfillment.lists import (
    FULFILLMENT_CENTERS,
    INVENTORY_ADJUSTMENTS,
    INVENTORY_ALERTS,
    INVENTORY_LEVELS,
    INVENTORY_TRANSACTIONS,
    OUTBOUND_SHIPMENTS,
)
from schema.fulfillment.types import FulfillmentCenter, OutboundShipment
from schema.lookups import lookup_field


@strawberry.type
class FulfillmentQuery:
    fulfillment_centers = FULFILLMENT_CENTERS.field(description="Fulfillment centers, by code.")

    fulfillment_center = lookup_field(
        FulfillmentCenter,
        sources.FULFILLMENT_CENTERS,
        Permission.VIEW_FULFILLMENT_CENTERS,
        "One fulfillment center by ID or by code (exactly one of them), with its stats.",
        id="Its ID.",
        code='Its code, e.g. "FC-EAST".',
    )

    inventory_levels = INVENTORY_LEVELS.field(
        description="Inventory levels, most recently changed first unless ordered. "
        "`filter.productId` shows one product across locations."
    )

    inventory_transactions = INVENTORY_TRANSACTIONS.field(
        description="The inventory ledger, newest first (append-only)."
    )

    inventory_alerts = INVENTORY_ALERTS.field(
        description="Levels raising an alert now (BR-18: low stock, overstock, aging), fewest on "
        "hand first; each level's `alerts` says which."
    )

    inventory_adjustments = INVENTORY_ADJUSTMENTS.field(
        description="Adjustments, newest first; `statuses: [PENDING_APPROVAL]` is the "
        "approval queue."
    )

    outbound_shipments = OUTBOUND_SHIPMENTS.field(description="Outbound shipments, newest first.")

    outbound_shipment = lookup_field(
        OutboundShipment,
        sources.OUTBOUND_SHIPMENTS,
        Permission.VIEW_OUTBOUND,
        "One outbound shipment by ID or by number (exactly one of them).",
        id="Its ID.",
        shipment_number="Its number, e.g. OUT-2026-0001.",
    )
