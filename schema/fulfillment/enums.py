"""The 3PL vocabularies in the graph, each value described."""

from __future__ import annotations

from domain.fulfillment import (
    AdjustmentReason,
    AdjustmentStatus,
    CenterCapability,
    InventoryAlertKind,
    LedgerKind,
    LedgerReference,
    OrderFulfillment,
    OutboundStatus,
)
from schema.enums import graphql_enum
from schema.jobs import enums as _job_enums  # noqa: F401 - ShippingCarrier, registered there

graphql_enum(
    CenterCapability,
    "What a fulfillment center does.",
    {
        CenterCapability.RECEIVE: "Receives inbound shipments.",
        CenterCapability.SHIP: "Ships to customers.",
        CenterCapability.STORE: "Holds stock.",
    },
)

graphql_enum(
    LedgerKind,
    "What an inventory transaction did to its level.",
    {
        LedgerKind.STOCK_IN: "On hand rose (passed QC, a count found more).",
        LedgerKind.RESERVE: "Reserved rose: set aside for an order; available fell.",
        LedgerKind.UNRESERVE: "Reserved fell: released back to available.",
        LedgerKind.PICK: "Picked for a shipment: on hand and reserved both fell.",
        LedgerKind.ADJUSTMENT: "On hand changed by an adjustment with a reason code.",
        LedgerKind.INCOMING: "Incoming changed (expected on an inbound or purchase order).",
    },
)

graphql_enum(
    LedgerReference,
    "What an inventory transaction answers to.",
    {
        LedgerReference.INBOUND_SHIPMENT: "An inbound shipment.",
        LedgerReference.OUTBOUND_SHIPMENT: "An outbound shipment.",
        LedgerReference.ORDER: "An order.",
        LedgerReference.ADJUSTMENT: "An inventory adjustment.",
        LedgerReference.PURCHASE_ORDER: "A purchase order.",
        LedgerReference.LOT: "A lot.",
    },
)

graphql_enum(
    AdjustmentReason,
    "Why stock was adjusted (SPEC BR-16).",
    {
        AdjustmentReason.COUNT_CORRECTION: "A count found a different quantity.",
        AdjustmentReason.DAMAGE_LOSS: "Damaged or lost.",
        AdjustmentReason.SAMPLE_DEMO_USE: "Used as a sample or demo.",
        AdjustmentReason.CUSTOMER_RETURN: "Returned by a customer.",
        AdjustmentReason.THEFT: "Theft; requires investigation (a note is required).",
        AdjustmentReason.SYSTEM_ERROR: "Corrects a system error.",
        AdjustmentReason.LOT_WITHDRAWN: "A recalled or expired lot's stock leaving "
        "(recorded by procurement's lot moves).",
    },
)

graphql_enum(
    AdjustmentStatus,
    "Where an adjustment is.",
    {
        AdjustmentStatus.PENDING_APPROVAL: "Above the approval threshold: waits for an admin.",
        AdjustmentStatus.APPLIED: "Recorded in the ledger.",
        AdjustmentStatus.REJECTED: "Refused by an admin; the stock did not change.",
    },
)

graphql_enum(
    InventoryAlertKind,
    "Why a level needs attention (SPEC BR-18).",
    {
        InventoryAlertKind.LOW_STOCK: "Available is below the reorder point: reorder.",
        InventoryAlertKind.OVERSTOCK: "On hand is above the max threshold.",
        InventoryAlertKind.AGING: "Stock with no movement for OPSGRAPH_INVENTORY_AGING_DAYS.",
    },
)

graphql_enum(
    OutboundStatus,
    "Where an outbound shipment is (SPEC §2.9).",
    {
        OutboundStatus.PENDING: "Created; its stock is reserved.",
        OutboundStatus.PICKING: "Being picked from the shelves.",
        OutboundStatus.PACKING: "Picked; being packed.",
        OutboundStatus.PACKED: "Packed, waiting for the carrier.",
        OutboundStatus.SHIPPED: "Handed to the carrier, with tracking.",
        OutboundStatus.IN_TRANSIT: "The carrier reports it on its way.",
        OutboundStatus.DELIVERED: "Delivered to the customer.",
        OutboundStatus.CANCELED: "Canceled before it left; its reservation was released.",
    },
)

graphql_enum(
    OrderFulfillment,
    "Where an order's goods are, derived from its outbound shipments.",
    {
        OrderFulfillment.AWAITING_ITEMS: "Some units are in no outbound shipment yet.",
        OrderFulfillment.READY_TO_SHIP: "Every unit is in a shipment (stock reserved); none "
        "has left.",
        OrderFulfillment.PARTIALLY_SHIPPED: "Some of its packages have left.",
        OrderFulfillment.SHIPPED: "Every package has left.",
        OrderFulfillment.DELIVERED: "Every package was delivered.",
    },
)
