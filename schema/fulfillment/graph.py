"""What the 3PL adds to the graph (schema/domain.py)."""

from __future__ import annotations

from auth.permissions import Permission
from resolvers.fulfillment import sources
from schema.domain import GraphDomain, NodeType
from schema.fulfillment.mutations import FulfillmentMutation
from schema.fulfillment.queries import FulfillmentQuery
from schema.fulfillment.subscriptions import FulfillmentSubscription
from schema.fulfillment.types import (
    FulfillmentCenter,
    InventoryAdjustment,
    InventoryLevel,
    InventoryTransaction,
    OutboundShipment,
    OutboundShipmentItem,
)

FULFILLMENT = GraphDomain(
    name="fulfillment",
    query=FulfillmentQuery,
    mutation=FulfillmentMutation,
    subscription=FulfillmentSubscription,
    nodes=(
        NodeType(
            FulfillmentCenter, sources.FULFILLMENT_CENTERS, Permission.VIEW_FULFILLMENT_CENTERS
        ),
        NodeType(InventoryLevel, sources.INVENTORY_LEVELS, Permission.VIEW_INVENTORY),
        NodeType(InventoryTransaction, sources.INVENTORY_TRANSACTIONS, Permission.VIEW_INVENTORY),
        NodeType(InventoryAdjustment, sources.INVENTORY_ADJUSTMENTS, Permission.VIEW_INVENTORY),
        NodeType(OutboundShipment, sources.OUTBOUND_SHIPMENTS, Permission.VIEW_OUTBOUND),
        NodeType(OutboundShipmentItem, sources.OUTBOUND_SHIPMENT_ITEMS, Permission.VIEW_OUTBOUND),
    ),
    # A shipment's items (one per order line) and history; the pick list is its items.
    list_sizes={
        "OutboundShipment.items": 20,
        "OutboundShipment.statusHistory": 10,
        "OutboundShipment.pickList": 20,
        "ConsolidateOrdersPayload.results": 100,
        "Order.outboundShipments": 5,
    },
)
