"""Listing purchase orders with everything a buyer looks at (supplier, price lists, lines,
products, payments, lots and their COAs) runs the same number of SQL statements for 10
orders as for 50 (API.md "Lists": every relation through per-request loaders)."""

from __future__ import annotations

import itertools
from typing import Any

from db.models import QcInspection, StatusChange
from domain.coas import CoaStatus
from domain.enums import ActorType
from domain.fulfillment import QcResult, QcStatus, QcSubjectType
from domain.procurement import LotStatus, PoPaymentStatus, PurchaseOrderStatus
from settings import QueryLimits
from tests.support import coas
from tests.support import procurement_seeding as seed
from tests.support.graphql import GraphQLClient

NESTED = """{
  purchaseOrders(first: 100) {
    totalCount
    edges { node {
      poNumber status paymentStatus isOverdue allowedTransitions
      total { amount } subtotal { amount }
      supplier { code name status priceLists(first: 5) { edges { node { unitCost { amount } } } } }
      lines { quantityOrdered unitCost { amount } product { name code } priceList { supplierSku }
              lots { lotNumber status } }
      lots { lotNumber status receivedQuantity variant { sku } supplier { code }
             coas { fileKey status labReference revision lots { lotNumber }
                    file { sha256 public } supersededBy { revision } }
             inboundShipment { shipmentNumber }
             qcInspections { inspectionNumber status items { parameter passes } } }
      inboundShipments { shipmentNumber status }
      payments { status amountUsd { amount } crypto { amount } fiat { reference } }
      statusHistory { fromStatus toStatus }
    } }
  }
}"""

_qc = itertools.count(1)


async def _add(database: Any, count: int) -> None:
    product = await seed.product(database)
    for _ in range(count):
        supplier = await seed.supplier(database)
        await seed.price_list(database, supplier.id, product.id)
        order = await seed.purchase_order(
            database, supplier.id, product.id, PurchaseOrderStatus.SUBMITTED, lines=2
        )
        active = await seed.lot(database, order, LotStatus.ACTIVE)
        pending = await seed.lot(database, order)
        # A batch certificate covering both lots, and the active lot's superseded first one.
        newer = await coas.coa(database, [active, pending], CoaStatus.VERIFIED)
        await coas.coa(database, [active], CoaStatus.SUPERSEDED, superseded_by_id=newer.id)
        async with database.transaction() as session:
            # Its QC inspection (issue 27 item 7), read through the batched loader.
            session.add(
                QcInspection(
                    inspection_number=f"QC-2026-{next(_qc):04d}",
                    subject_type=QcSubjectType.LOT,
                    subject_id=active.id,
                    status=QcStatus.COMPLETED,
                    result=QcResult.PASS,
                    items=[{"parameter": "Purity", "passes": True}],
                )
            )
        await seed.payment(database, order.id, PoPaymentStatus.CONFIRMED)
        await seed.payment(database, order.id)
        async with database.transaction() as session:
            session.add(
                StatusChange(
                    entity_type="PurchaseOrder",
                    entity_id=order.id,
                    from_status="draft",
                    to_status="submitted",
                    version=1,
                    actor_type=ActorType.SYSTEM,
                )
            )


async def _statements(make_client: Any) -> tuple[int, dict[str, Any]]:
    client: GraphQLClient
    async with make_client(debug_sql=True, limits=QueryLimits(max_cost=1_000_000)) as client:
        body = await client.raw(NESTED)
    assert "errors" not in body, body.get("errors")
    return body["extensions"]["debug"]["sqlStatements"], body


async def test_listing_50_purchase_orders_runs_the_statements_of_10(database, make_client):
    await _add(database, 10)
    with_10, body = await _statements(make_client)
    assert body["data"]["purchaseOrders"]["totalCount"] == 10

    await _add(database, 40)
    with_50, body = await _statements(make_client)
    edges = body["data"]["purchaseOrders"]["edges"]
    assert len(edges) == 50
    node = edges[0]["node"]
    assert len(node["lines"]) == 2 and len(node["payments"]) == 2
    assert len(node["lots"]) == 2 and len(node["lines"][0]["lots"]) == 2
    coas_of = {lot["status"]: lot["coas"] for lot in node["lots"]}
    by_status = {c["status"]: c for c in coas_of["ACTIVE"]}
    assert sorted(by_status) == ["SUPERSEDED", "VERIFIED"]
    assert len(by_status["VERIFIED"]["lots"]) == 2 and by_status["VERIFIED"]["file"]["public"]
    assert by_status["SUPERSEDED"]["supersededBy"] is not None
    assert [c["status"] for c in coas_of["PENDING"]] == ["VERIFIED"]
    inspected = [lot["qcInspections"] for lot in node["lots"] if lot["qcInspections"]]
    assert inspected == [
        [
            {
                "inspectionNumber": inspected[0][0]["inspectionNumber"],
                "status": "COMPLETED",
                "items": [{"parameter": "Purity", "passes": True}],
            }
        ]
    ]
    assert node["lines"][0]["product"]["code"].startswith("SP")
    assert len(node["supplier"]["priceLists"]["edges"]) == 1
    assert node["statusHistory"] == [{"fromStatus": "draft", "toStatus": "submitted"}]
    assert with_10 == with_50
    print(f"50 purchase orders with their relations: {with_50} SQL statements")
