"""What the 3PL adds to the graph (schema/domain.py): centers, inventory and outbound
shipments; inbound shipments and their QC, owned by the manufacturer whose goods they are."""

from __future__ import annotations

from auth.permissions import Permission
from resolvers.fulfillment import inbound_sources, sources
from resolvers.fulfillment.inbound import MAX_ITEMS
from resolvers.owners import MANUFACTURER_RECORD
from schema.domain import GraphDomain, NodeType
from schema.fulfillment.inbound_mutations import InboundMutation
from schema.fulfillment.inbound_queries import InboundQuery
from schema.fulfillment.inbound_types import (
    InboundIssue,
    InboundShipment,
    InboundShipmentItem,
    QcInspection,
    QcInspectionLine,
    QcPhoto,
)
from schema.fulfillment.lot_qc_mutations import LotQcMutation
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
    # Centers, inventory and outbound first, then inbound and QC.
    query=type("FulfillmentQueries", (FulfillmentQuery, InboundQuery), {}),
    mutation=type(
        "FulfillmentMutations", (FulfillmentMutation, InboundMutation, LotQcMutation), {}
    ),
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
        *(
            NodeType(node_type, source, Permission.VIEW_INBOUND, MANUFACTURER_RECORD)
            for node_type, source in (
                (InboundShipment, inbound_sources.INBOUND_SHIPMENTS),
                (InboundShipmentItem, inbound_sources.INBOUND_ITEMS),
                (InboundIssue, inbound_sources.INBOUND_ISSUES),
                (QcInspection, inbound_sources.QC_INSPECTIONS),
                (QcInspectionLine, inbound_sources.QC_LINES),
                (QcPhoto, inbound_sources.QC_PHOTOS),
            )
        ),
    ),
    # A shipment's items (one per order line) and history; the pick list is its items. An
    # inbound shipment's lines, inspections, issues and history; an inspection's lines,
    # photos, history and checklist.
    list_sizes={
        "OutboundShipment.items": 20,
        "OutboundShipment.statusHistory": 10,
        "OutboundShipment.pickList": 20,
        "ConsolidateOrdersPayload.results": 100,
        "Order.outboundShipments": 5,
        "InboundShipment.items": MAX_ITEMS,
        "InboundShipment.inspections": 5,
        "InboundShipment.issues": 5,
        "InboundShipment.statusHistory": 10,
        "QcInspection.lines": MAX_ITEMS,
        "QcInspection.photos": 20,
        "QcInspection.statusHistory": 5,
        "QcInspection.checklist": 50,
        "QcInspection.items": 50,
        "PurchaseOrder.inboundShipments": 2,
        "InboundShipment.lots": 20,
    },
)
