"""Listing inbound shipments with their items and inspections runs the same number of SQL
statements for 5 shipments as for 50 (API.md "Lists": every relation through per-request
DataLoaders)."""

from __future__ import annotations

from typing import Any

from db.models import InboundShipment
from domain.fulfillment import InboundSourceType, PackageCondition, QcBulk, QcResult
from domain.jobs import JobStatus
from resolvers.fulfillment import inbound, inspections
from resolvers.ids import encode_id
from settings import QueryLimits
from tests.support import fulfillment, seeding
from tests.support.graphql import GraphQLClient
from tests.support.job_support import Catalog, catalog

NESTED = """{
  inboundShipments(first: 100) {
    totalCount
    edges { node {
      shipmentNumber status trackingUrl isLost allowedTransitions
      manufacturer { name }
      sourceJob { jobNumber }
      statusHistory { fromStatus toStatus }
      items { expectedQuantity receivedQuantity passedQuantity variant { sku product { name } } }
      inspections {
        inspectionNumber status result allowedTransitions checklist { item passed }
        lines { passedQuantity failedQuantity item { expectedQuantity } }
        photos { kind }
      }
      issues { failedQuantity isOpen }
    } }
  }
}"""


async def _add(world: Catalog, center_id: Any, count: int) -> None:
    """`count` shipments of two lines each, received and passed through QC."""
    ops = fulfillment.OPS
    for _ in range(count):
        job = await seeding.job(
            world.database, manufacturer_id=world.own_id, status=JobStatus.SHIPPED
        )
        async with world.database.transaction() as session:
            shipment: InboundShipment = await inbound.create_shipment(
                session,
                ops,
                inbound.NewShipment(
                    source_type=InboundSourceType.MANUFACTURING_JOB,
                    source_id=job.id,
                    manufacturer_id=job.manufacturer_id,
                    fulfillment_center_id=center_id,
                    lines=[inbound.ExpectedLine(world.variant_id, 3) for _ in range(2)],
                ),
            )
            shipment_id = encode_id("InboundShipment", shipment.id)
            await inbound.receive(session, ops, shipment_id, inbound.Receipt(PackageCondition.GOOD))
            made = await inspections.create_inspection(
                session, ops, shipment_id, [{"item": "Stitching", "passed": True}]
            )
            inspection_id = encode_id("QcInspection", made.id)
            await inspections.start_inspection(session, ops, inspection_id)
            await inspections.complete_inspection(
                session,
                ops,
                inspection_id,
                inspections.Completion(result=QcResult.PASS, bulk=QcBulk.PASS_ALL),
            )


async def _statements(make_client: Any) -> tuple[int, dict[str, Any]]:
    client: GraphQLClient
    async with make_client(debug_sql=True, limits=QueryLimits(max_cost=1_000_000)) as client:
        body = await client.raw(NESTED)
    assert "errors" not in body, body.get("errors")
    return body["extensions"]["debug"]["sqlStatements"], body


async def test_listing_50_inbound_shipments_runs_the_statements_of_5(
    client: GraphQLClient, database: Any, make_client: Any
) -> None:
    world = await catalog(client, database)
    center_id = await fulfillment.center(database, default=True)
    await _add(world, center_id, 5)
    with_5, body = await _statements(make_client)
    assert body["data"]["inboundShipments"]["totalCount"] == 5

    await _add(world, center_id, 45)
    with_50, body = await _statements(make_client)
    edges = body["data"]["inboundShipments"]["edges"]
    assert len(edges) == 50
    node = edges[0]["node"]
    assert node["status"] == "STOCKED"
    assert [i["passedQuantity"] for i in node["items"]] == [3, 3]
    (inspection,) = node["inspections"]
    assert inspection["result"] == "PASS" and len(inspection["lines"]) == 2
    assert inspection["lines"][0]["item"]["expectedQuantity"] == 3
    assert node["sourceJob"]["jobNumber"] and node["manufacturer"]["name"]
    assert [h["toStatus"] for h in node["statusHistory"]] == ["RECEIVED", "INSPECTING", "STOCKED"]

    assert with_5 == with_50
    # Page, count, manufacturers, jobs, history, items, variants, products, inspections,
    # lines, photos, issues (12 measured; the lines' items and the inspections' history
    # come batched with the rest).
    assert with_50 <= 14
