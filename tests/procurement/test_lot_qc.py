"""Receiving through the 3PL inbound shipment (issue 27 item 5) and lot QC on the 3PL's
inspections (item 7): a whole purchase order through the API with inventoryLevels read at
every step (BR-19, §9 #19), the shipment following the PO, QC items, QC-YYYY-NNNN numbers,
and completed inspections that refuse changes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from auth.permissions import Role
from tests.support import lot_qc
from tests.support import procurement_factories as pf
from tests.support.db_state import snapshot
from tests.support.graphql import mutation_document

LEVELS = """query($filter: InventoryLevelFilter) { inventoryLevels(first: 50, filter: $filter) {
  edges { node { onHand reserved incoming } } } }"""
LOT_QC = """query($id: ID) { lot(id: $id) {
  qcInspections { inspectionNumber items { parameter passes } } } }"""
PO_SHIPMENTS = """query($id: ID) { purchaseOrder(id: $id) { status inboundShipments {
  id shipmentNumber status sourceType allowedTransitions packageCondition temperatureOnArrival receivedBy
  receivedAt sourcePurchaseOrder { poNumber }
  items { expectedQuantity receivedQuantity }
  lots { lotNumber } } } }"""
LOT = """query($id: ID) { lot(id: $id) { lotNumber status statusReason
  inboundShipment { shipmentNumber }
  qcInspections { inspectionId inspectionNumber status result items { parameter passes } }
} }"""
SHIPMENTS = """query($po: ID) { inboundShipments(filter: {sourcePurchaseOrderId: $po}) {
  edges { node { shipmentNumber status } } } }"""
TRANSITION_LOT = mutation_document("transitionLot", "lot { status } errors { code field }")
TRANSITION_SHIPMENT = mutation_document("transitionInboundShipment", "errors { code field }")
RECEIVE_SHIPMENT = mutation_document("receiveInboundShipment", "errors { code field message }")
CREATE_SHIPMENT_QC = mutation_document("createQcInspection", "errors { code field message }")
YEAR = datetime.now(UTC).year


async def _levels(client: Any, variant_id: str) -> list[tuple[int, int, int]]:
    """Every level of the variant (one without a lot, one per stocked lot), sorted."""
    found = await client(LEVELS, {"filter": {"variantId": variant_id}})
    nodes = [e["node"] for e in found["inventoryLevels"]["edges"]]
    return sorted((n["onHand"], n["reserved"], n["incoming"]) for n in nodes)


async def _qc(client: Any, lot: dict[str, Any], result: str, items: list[Any]) -> Any:
    made = await lot_qc.inspection(client, lot, started=True, items=items)
    assert made["lot"]["status"] == "QUARANTINED"  # QC started: quarantined
    return await client.mutate_ok(
        lot_qc.COMPLETE, {"id": made["id"], "result": result, "notes": "lab run 7"}, "inspection"
    )


async def test_a_whole_purchase_order_through_the_api_follows_br_19(client, database):
    await lot_qc.default_center(database)
    supplier, product = await pf.world(client)
    variant = product["variant"]["id"]
    po = await pf.confirmed_po(client, supplier["id"], [(product["id"], 30)])
    assert await _levels(client, variant) == [(0, 0, 30)]  # submit: incoming +30

    (shipment,) = (await client(PO_SHIPMENTS, {"id": po["id"]}))["purchaseOrder"][
        "inboundShipments"
    ]
    assert (shipment["status"], shipment["sourceType"]) == ("EXPECTED", "PURCHASE_ORDER")
    assert shipment["allowedTransitions"] == ["IN_TRANSIT", "RECEIVED", "CANCELLED"]
    assert shipment["sourcePurchaseOrder"] == {"poNumber": po["poNumber"]}
    assert shipment["items"] == [{"expectedQuantity": 30, "receivedQuantity": None}]
    listed = await client(SHIPMENTS, {"po": po["id"]})
    assert [e["node"]["shipmentNumber"] for e in listed["inboundShipments"]["edges"]] == [
        shipment["shipmentNumber"]
    ]

    arrived = datetime(2026, 3, 15, 14, 0, tzinfo=UTC).isoformat()
    values = {"receivedAt": arrived, "temperatureOnArrival": "4.0"}
    good = (await client.mutate_ok(pf.RECEIVE, pf.received(po, 18, **values), "lots"))[0]
    bad = (await client.mutate_ok(pf.RECEIVE, pf.received(po, 12, **values), "lots"))[0]
    assert await _levels(client, variant) == [(0, 0, 30)]  # received: no change
    found = (await client(PO_SHIPMENTS, {"id": po["id"]}))["purchaseOrder"]
    (shipment,) = found["inboundShipments"]
    assert found["status"] == "RECEIVED"
    assert (shipment["status"], shipment["packageCondition"]) == ("RECEIVED", "GOOD")
    assert shipment["temperatureOnArrival"] == "4.00" and shipment["receivedBy"]
    assert shipment["receivedAt"].startswith("2026-03-15T14:00")
    assert shipment["items"] == [{"expectedQuantity": 30, "receivedQuantity": 30}]
    assert [lot["lotNumber"] for lot in shipment["lots"]] == [good["lotNumber"], bad["lotNumber"]]
    lot = (await client(LOT, {"id": good["id"]}))["lot"]
    assert lot["inboundShipment"] == {"shipmentNumber": shipment["shipmentNumber"]}

    passed = await _qc(client, good, "PASS", [lot_qc.PURITY, lot_qc.IDENTITY])
    assert passed["lot"]["status"] == "ACTIVE"  # pass: on hand +18 under the lot, incoming -18
    assert await _levels(client, variant) == [(0, 0, 12), (18, 0, 0)]
    failed = await _qc(client, bad, "FAIL_REJECT", [lot_qc.LOW_PURITY, lot_qc.IDENTITY])
    assert failed["lot"]["status"] == "REJECTED"  # fail: incoming -12
    assert failed["lot"]["statusReason"] == (
        f"{failed['inspectionNumber']} FAIL_REJECT: Purity 91.0%"
    )
    assert await _levels(client, variant) == [(0, 0, 0), (18, 0, 0)]

    recalled = await client.mutate_ok(
        TRANSITION_LOT,
        {"id": good["id"], "status": "RECALLED", "reason": "supplier recall 2026-07"},
        "lot",
    )
    assert recalled["status"] == "RECALLED"  # recall: min(received, on hand) leaves
    assert await _levels(client, variant) == [(0, 0, 0), (0, 0, 0)]


async def test_a_cancelled_po_cancels_its_shipment_and_the_3pl_leaves_it_to_procurement(
    client, database
):
    await lot_qc.default_center(database)
    supplier, product = await pf.world(client)
    po = await pf.submitted_po(client, supplier["id"], [(product["id"], 5)])
    (shipment,) = (await client(PO_SHIPMENTS, {"id": po["id"]}))["purchaseOrder"][
        "inboundShipments"
    ]
    before = await snapshot(database)
    refused = await client.mutate(
        RECEIVE_SHIPMENT, {"input": {"id": shipment["id"], "packageCondition": "GOOD"}}
    )
    assert [(e["code"], e["field"]) for e in refused["errors"]] == [
        ("INVALID_TRANSITION", ["input", "id"])
    ]
    assert await snapshot(database) == before
    await client.mutate_ok(pf.CANCEL_PO, {"id": po["id"], "reason": "duplicate"}, "purchaseOrder")
    (shipment,) = (await client(PO_SHIPMENTS, {"id": po["id"]}))["purchaseOrder"][
        "inboundShipments"
    ]
    assert shipment["status"] == "CANCELLED"


async def test_receiving_on_a_shipment_needs_the_package_condition(client, database):
    await lot_qc.default_center(database)
    supplier, product = await pf.world(client)
    po = await pf.confirmed_po(client, supplier["id"], [(product["id"], 3)])
    before = await snapshot(database)
    given = pf.received(po, 3)
    del given["packageCondition"]
    payload = await client.mutate(pf.RECEIVE, {"input": given})
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [
        ("VALIDATION", ["input", "packageCondition"])
    ]
    assert await snapshot(database) == before


async def test_a_po_shipment_is_not_inspected_as_a_shipment(client, database):
    lot = await lot_qc.received_lot(client, database)
    shipment = (await client(LOT, {"id": lot["id"]}))["lot"]["inboundShipment"]
    assert shipment is not None
    found = await client(
        "query($n: String) { inboundShipments(filter: {search: $n}) { edges { node { id } } } }",
        {"n": shipment["shipmentNumber"]},
    )
    (edge,) = found["inboundShipments"]["edges"]
    payload = await client.mutate(CREATE_SHIPMENT_QC, {"input": {"shipmentId": edge["node"]["id"]}})
    assert [e["code"] for e in payload["errors"]] == ["INVALID_TRANSITION"]


async def test_inspections_are_numbered_and_hold_their_items(client, database):
    first = await lot_qc.received_lot(client, database)
    second = await lot_qc.received_lot(client, database)
    a = await lot_qc.inspection(client, first)
    b = await lot_qc.inspection(client, second)
    number = int(a["inspectionNumber"].rsplit("-", 1)[1])
    assert a["inspectionNumber"] == f"QC-{YEAR}-{number:04d}"
    assert b["inspectionNumber"] == f"QC-{YEAR}-{number + 1:04d}"
    assert (a["subjectType"], a["status"], a["lot"]["status"]) == ("LOT", "PENDING", "PENDING")
    assert a["items"] == [lot_qc.PURITY, lot_qc.IDENTITY]
    again = await client.mutate(lot_qc.CREATE, {"input": {"lotId": first["id"]}})
    assert [e["code"] for e in again["errors"]] == ["CONFLICT"]
    # Items may be recorded while open; the lot's procurement readers (finance) see them.
    updated = await client.mutate_ok(
        lot_qc.UPDATE_ITEMS, {"id": a["id"], "items": [lot_qc.PURITY]}, "inspection"
    )
    assert updated["items"] == [lot_qc.PURITY]
    seen = (await client.as_role(Role.FINANCE)(LOT_QC, {"id": first["id"]}))["lot"]
    assert [(q["inspectionNumber"], q["items"]) for q in seen["qcInspections"]] == [
        (a["inspectionNumber"], [{"parameter": "Purity", "passes": True}])
    ]


async def test_bad_items_and_results_are_refused_at_their_paths(client, database):
    lot = await lot_qc.received_lot(client, database)
    before = await snapshot(database)
    payload = await client.mutate(
        lot_qc.CREATE,
        {
            "input": {
                "lotId": lot["id"],
                "items": [lot_qc.PURITY | {"parameter": " ", "unit": "u" * 33}],
            }
        },
    )
    assert sorted(tuple(e["field"]) for e in payload["errors"]) == [
        ("input", "items", "0", "parameter"),
        ("input", "items", "0", "unit"),
    ]
    assert await snapshot(database) == before
    made = await lot_qc.inspection(client, lot, started=True, items=[lot_qc.LOW_PURITY])
    before = await snapshot(database)
    for result in ("PASS", "HOLD"):
        refused = await client.mutate(
            lot_qc.COMPLETE, {"input": {"id": made["id"], "result": result}}
        )
        assert [(e["code"], e["field"]) for e in refused["errors"]] == [
            ("VALIDATION", ["input", "result"])
        ]
    lines = await client.mutate(
        lot_qc.COMPLETE, {"input": {"id": made["id"], "result": "FAIL_REJECT", "bulk": "FAIL_ALL"}}
    )
    assert [e["code"] for e in lines["errors"]] == ["VALIDATION"]
    assert await snapshot(database) == before


async def test_a_completed_inspection_refuses_changes(client, database):
    lot = await lot_qc.received_lot(client, database)
    made = await lot_qc.inspection(client, lot, started=True)
    done = await client.mutate_ok(
        lot_qc.COMPLETE, {"id": made["id"], "result": "PASS"}, "inspection"
    )
    assert (done["status"], done["result"], done["lot"]["status"]) == (
        "COMPLETED",
        "PASS",
        "ACTIVE",
    )
    before = await snapshot(database)
    changed = await client.mutate(
        lot_qc.UPDATE_ITEMS, {"input": {"id": made["id"], "items": [lot_qc.LOW_PURITY]}}
    )
    assert [e["code"] for e in changed["errors"]] == ["IMMUTABLE"]
    again = await client.mutate(
        lot_qc.COMPLETE,
        {"input": {"id": made["id"], "result": "FAIL_REJECT", "items": [lot_qc.LOW_PURITY]}},
    )
    assert [e["code"] for e in again["errors"]] == ["IMMUTABLE"]
    assert await snapshot(database) == before
    # An ACTIVE lot is not inspected again (re-quarantine is an admin's transitionLot).
    refused = await client.mutate(lot_qc.CREATE, {"input": {"lotId": lot["id"]}})
    assert [e["code"] for e in refused["errors"]] == ["INVALID_TRANSITION"]


async def test_qc_is_admins_and_ops(client, database):
    lot = await lot_qc.received_lot(client, database)
    for role in (Role.FINANCE, Role.READONLY):
        body = await client.as_role(role).raw(lot_qc.CREATE, {"input": {"lotId": lot["id"]}})
        assert {e["extensions"]["code"] for e in body["errors"]} == {"FORBIDDEN"}
    made = await client.as_role(Role.OPS).mutate_ok(
        lot_qc.CREATE, {"lotId": lot["id"], "items": [lot_qc.PURITY]}, "inspection"
    )
    assert made["inspector"] is None and made["status"] == "PENDING"


async def test_a_shipment_the_3pl_saw_on_its_way_is_received_with_its_po(client, database):
    await lot_qc.default_center(database)
    supplier, product = await pf.world(client)
    po = await pf.confirmed_po(client, supplier["id"], [(product["id"], 4)])
    (shipment,) = (await client(PO_SHIPMENTS, {"id": po["id"]}))["purchaseOrder"][
        "inboundShipments"
    ]
    moved = await client.mutate(
        TRANSITION_SHIPMENT,
        {"input": {"id": shipment["id"], "status": "IN_TRANSIT", "carrier": "UPS"}},
    )
    assert moved["errors"] == []
    await client.mutate_ok(pf.RECEIVE, pf.received(po, 1, packageCondition="DAMAGED"), "lots")
    (shipment,) = (await client(PO_SHIPMENTS, {"id": po["id"]}))["purchaseOrder"][
        "inboundShipments"
    ]
    assert (shipment["status"], shipment["packageCondition"]) == ("RECEIVED", "DAMAGED")
    assert shipment["items"] == [{"expectedQuantity": 4, "receivedQuantity": 1}]


async def test_a_lot_quarantined_again_is_released_or_rejected_only_by_a_new_inspection(
    client, database
):
    await lot_qc.default_center(database)
    supplier, product = await pf.world(client)
    variant = product["variant"]["id"]
    po = await pf.confirmed_po(client, supplier["id"], [(product["id"], 5)])
    kept, lost = [
        (await client.mutate_ok(pf.RECEIVE, pf.received(po, n), "lots"))[0] for n in (3, 2)
    ]
    for lot in (kept, lost):
        assert (await _qc(client, lot, "PASS", [lot_qc.PURITY]))["lot"]["status"] == "ACTIVE"
    assert await _levels(client, variant) == [(0, 0, 0), (2, 0, 0), (3, 0, 0)]
    for lot in (kept, lost):
        back = {"id": lot["id"], "status": "QUARANTINED", "reason": "customer complaint"}
        assert (await client.mutate_ok(TRANSITION_LOT, back, "lot"))["status"] == "QUARANTINED"

    # The passed inspection of before releases nothing now, nor may a lot be rejected by hand.
    before = await snapshot(database)
    for target in ("ACTIVE", "REJECTED"):
        refused = await client.mutate(
            TRANSITION_LOT, {"input": {"id": kept["id"], "status": target, "reason": "checked"}}
        )
        assert [(e["code"], e["field"]) for e in refused["errors"]] == [
            ("INVALID_TRANSITION", ["input", "status"])
        ]
    assert await snapshot(database) == before

    # A new inspection decides: passed, the lot is ACTIVE with its stock counted once; failed,
    # REJECTED and its stock leaves.
    assert (await _qc(client, kept, "PASS", [lot_qc.PURITY]))["lot"]["status"] == "ACTIVE"
    failed = await _qc(client, lost, "FAIL_REJECT", [lot_qc.LOW_PURITY])
    assert failed["lot"]["status"] == "REJECTED"
    assert await _levels(client, variant) == [(0, 0, 0), (0, 0, 0), (3, 0, 0)]
