"""The order vocabularies in the graph, every value documented (SPEC §1.3, §2.2)."""

from __future__ import annotations

from domain.orders import OrderPriority, OrderStatus, Technique
from schema.enums import graphql_enum

graphql_enum(
    OrderStatus,
    "Where an order is in its lifecycle (SPEC §2.2). `displayStatus` gives the customer label.",
    {
        OrderStatus.DRAFT: 'Being specified; not yet submitted ("Spec Review").',
        OrderStatus.SUBMITTED: 'Submitted (paid); waiting for approval ("Queued").',
        OrderStatus.APPROVED: 'Approved and routed into manufacturing jobs ("Printing").',
        OrderStatus.IN_PRODUCTION: 'At least one job has started production ("Finishing").',
        OrderStatus.FULFILLED: 'Every job has shipped; terminal ("Ready").',
        OrderStatus.CANCELED: "Canceled with a reason; terminal.",
    },
)

graphql_enum(
    OrderPriority,
    "How urgent an order is (SPEC §2.2; `etaDays` follows from it).",
    {
        OrderPriority.RUSH: "Rush: 1-2 day ETA (etaDays 2).",
        OrderPriority.STANDARD: "Standard: 3-5 day ETA (etaDays 5).",
        OrderPriority.HOLD: "Hold: paused until manually released; routing waits (no ETA).",
    },
)

graphql_enum(
    Technique,
    "How a line item is decorated.",
    {
        Technique.DTG: "Direct-to-garment printing (the default).",
        Technique.SCREEN: "Screen printing.",
        Technique.EMBROIDERY: "Embroidery.",
        Technique.SUBLIMATION: "Dye sublimation.",
        Technique.HEAT_TRANSFER: "Heat transfer.",
        Technique.CUT_SEW: "Cut and sew.",
    },
)
