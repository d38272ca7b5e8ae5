"""Lot QC through the graph (issue 27 item 7): the documents and a lot brought to each step
of its inspection, for the procurement tests and the permission matrix."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from db.models import FulfillmentCenter
from tests.support import fulfillment
from tests.support import procurement_factories as pf
from tests.support.graphql import GraphQLClient, mutation_document

INSPECTION_FIELDS = """
  id inspectionNumber subjectType status result inspector notes version
  items { parameter testMethod expected observed unit passes }
  lot { id lotNumber status statusReason }
"""
ERRORS = "errors { code field message }"
CREATE = mutation_document(
    "createLotQcInspection", f"inspection {{ {INSPECTION_FIELDS} }} {ERRORS}"
)
START = mutation_document("startQcInspection", f"inspection {{ {INSPECTION_FIELDS} }} {ERRORS}")
COMPLETE = mutation_document(
    "completeQcInspection", f"inspection {{ {INSPECTION_FIELDS} }} {ERRORS}"
)
UPDATE_ITEMS = mutation_document(
    "updateQcInspectionItems", f"inspection {{ {INSPECTION_FIELDS} }} {ERRORS}"
)

PURITY = {
    "parameter": "Purity",
    "testMethod": "HPLC",
    "expected": ">= 98.0",
    "observed": "99.2",
    "unit": "%",
    "passes": True,
}
IDENTITY = {
    "parameter": "Identity",
    "testMethod": "MS",
    "expected": "1419.5 ± 1",
    "observed": "1419.6",
    "unit": "Da",
    "passes": True,
}
LOW_PURITY = PURITY | {"observed": "91.0", "passes": False}


async def default_center(database: Any) -> Any:
    """The default fulfillment center, made if there is none (at most one may exist)."""
    async with database.transaction() as session:
        found = await session.scalar(
            select(FulfillmentCenter.id).where(FulfillmentCenter.is_default.is_(True))
        )
    return found if found is not None else await fulfillment.center(database, default=True)


async def received_lot(client: GraphQLClient, database: Any, quantity: int = 2) -> Any:
    """A PENDING lot received on a confirmed PO's inbound shipment."""
    await default_center(database)
    supplier, product = await pf.world(client)
    po = await pf.confirmed_po(client, supplier["id"], [(product["id"], quantity)])
    (lot,) = await client.mutate_ok(pf.RECEIVE, pf.received(po, quantity), "lots")
    return lot


async def inspection(
    client: GraphQLClient, lot: dict[str, Any], *, started: bool = False, items: Any = None
) -> Any:
    made = await client.mutate_ok(
        CREATE, {"lotId": lot["id"], "items": items or [PURITY, IDENTITY]}, "inspection"
    )
    if started:
        made = await client.mutate_ok(START, {"id": made["id"]}, "inspection")
    return made
