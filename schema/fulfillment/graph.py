"""What the 3PL adds to the graph (schema/domain.py): inbound shipments and their QC, owned
by the manufacturer whose goods they are."""

from __future__ import annotations

from auth.permissions import Permission
from resolvers.fulfillment import inbound_sources
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
from schema.fulfillment.subscriptions import FulfillmentSubscription

FULFILLMENT = GraphDomain(
    name="fulfillment",
    query=InboundQuery,
    mutation=InboundMutation,
    subscription=FulfillmentSubscription,
    nodes=tuple(
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
    # A shipment's lines, inspections, issues and history; an inspection's lines, photos,
    # history and checklist.
    list_sizes={
        "InboundShipment.items": MAX_ITEMS,
        "InboundShipment.inspections": 5,
        "InboundShipment.issues": 5,
        "InboundShipment.statusHistory": 10,
        "QcInspection.lines": MAX_ITEMS,
        "QcInspection.photos": 20,
        "QcInspection.statusHistory": 5,
        "QcInspection.checklist": 50,
    },
)
