"""Lot QC rows of the permission matrix (issue 27 item 7): "QC and COA verification — admin,
ops" (Perform QC); a lot's inspections read by every procurement viewer; the PO's and the
lot's 3PL shipment read by inbound viewers (item 5)."""

from __future__ import annotations

from typing import Any

from tests.support import lot_qc
from tests.support import procurement_factories as pf
from tests.support.permission_matrix import Case, World, mutation_case

QC, VIEW, INBOUND = "UAO", "UAOFR", "UAOR"
LOT_Q = "query($id: ID) { lot(id: $id) { %s } }"
PO_Q = "query($id: ID) { purchaseOrder(id: $id) { %s } }"


async def _lot(world: World) -> dict[str, Any]:
    return {"id": (await lot_qc.received_lot(world.admin, world.database))["id"]}


async def _po(world: World) -> dict[str, Any]:
    await lot_qc.default_center(world.database)
    supplier, product = await pf.world(world.admin)
    return {"id": (await pf.submitted_po(world.admin, supplier["id"], [(product["id"], 2)]))["id"]}


async def _create(world: World) -> dict[str, Any]:
    lot = await lot_qc.received_lot(world.admin, world.database)
    return {"lotId": lot["id"], "items": [lot_qc.PURITY]}


async def _items(world: World) -> dict[str, Any]:
    lot = await lot_qc.received_lot(world.admin, world.database)
    made = await lot_qc.inspection(world.admin, lot)
    return {"id": made["id"], "items": [lot_qc.PURITY, lot_qc.IDENTITY]}


async def _inspected_lot(world: World) -> dict[str, Any]:
    lot = await lot_qc.received_lot(world.admin, world.database)
    await lot_qc.inspection(world.admin, lot)
    return {"id": lot["id"]}


CASES: list[Case] = [
    Case(
        "Lot.qcInspections",
        LOT_Q % "qcInspections { inspectionNumber items { parameter } }",
        VIEW,
        _inspected_lot,
    ),
    Case("Lot.inboundShipment", LOT_Q % "inboundShipment { shipmentNumber }", INBOUND, _lot),
    Case(
        "PurchaseOrder.inboundShipments",
        PO_Q % "inboundShipments { shipmentNumber }",
        INBOUND,
        _po,
    ),
    mutation_case("createLotQcInspection", QC, _create),
    mutation_case("updateQcInspectionItems", QC, _items),
]
