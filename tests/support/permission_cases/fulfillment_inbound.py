"""3PL inbound rows of the permission matrix (SPEC §4 "3PL": View inbound = A O · ◐ M, with
readonly reading like every staff read; Perform QC = A O; expecting, moving and receiving
shipments is ops' work). The records each case needs are made through the inbound rules
themselves, so the ledger holds what their QC moves."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from db.models import InboundIssue, InboundShipment, QcInspection
from domain.fulfillment import InboundSourceType, PackageCondition, QcBulk, QcResult
from domain.jobs import JobStatus
from resolvers.fulfillment import inbound, inspections
from resolvers.ids import decode_id, encode_id
from tests.support import fulfillment, seeding
from tests.support.files import photo_part
from tests.support.permission_matrix import Case, World, mutation_case

OPS = fulfillment.OPS


async def _shipment(world: World, *, received: bool = False) -> InboundShipment:
    """An EXPECTED (or RECEIVED) shipment of the own manufacturer's job, 5 units."""
    center_id = await fulfillment.center(world.database)
    job = await seeding.job(
        world.database, manufacturer_id=world.own_manufacturer_uuid, status=JobStatus.SHIPPED
    )
    variant_id = decode_id(world.variant["id"])[1]
    async with world.database.transaction() as session:
        shipment = await inbound.create_shipment(
            session,
            OPS,
            inbound.NewShipment(
                source_type=InboundSourceType.MANUFACTURING_JOB,
                source_id=job.id,
                manufacturer_id=job.manufacturer_id,
                fulfillment_center_id=center_id,
                lines=[inbound.ExpectedLine(variant_id, 5)],
            ),
        )
        if received:
            await inbound.receive(
                session, OPS, _gid(shipment), inbound.Receipt(PackageCondition.GOOD)
            )
    return shipment


async def _inspection(world: World, *, started: bool = False) -> QcInspection:
    shipment = await _shipment(world, received=True)
    async with world.database.transaction() as session:
        inspection = await inspections.create_inspection(session, OPS, _gid(shipment))
        if started:
            await inspections.start_inspection(session, OPS, _gid(inspection))
    return inspection


def _gid(row: InboundShipment | QcInspection) -> str:
    return encode_id(type(row).__name__, row.id)


async def _shipment_id(world: World) -> dict[str, Any]:
    return {"id": _gid(await _shipment(world))}


async def _inspection_id(world: World) -> dict[str, Any]:
    return {"id": _gid(await _inspection(world))}


async def _create(world: World) -> dict[str, Any]:
    job = await seeding.job(
        world.database, manufacturer_id=world.own_manufacturer_uuid, status=JobStatus.SHIPPED
    )
    return {
        "jobId": seeding.gid(job),
        "fulfillmentCenterId": encode_id(
            "FulfillmentCenter", await fulfillment.center(world.database)
        ),
        "items": [{"variantId": world.variant["id"], "expectedQuantity": 3}],
    }


async def _move(world: World) -> dict[str, Any]:
    return {**await _shipment_id(world), "status": "IN_TRANSIT"}


async def _receive(world: World) -> dict[str, Any]:
    return {**await _shipment_id(world), "packageCondition": "GOOD"}


async def _create_qc(world: World) -> dict[str, Any]:
    return {"shipmentId": _gid(await _shipment(world, received=True))}


async def _complete(world: World) -> dict[str, Any]:
    inspection = await _inspection(world, started=True)
    return {"id": _gid(inspection), "result": "PASS", "bulk": "PASS_ALL"}


async def _photo(world: World) -> dict[str, Any]:
    inspection = await _inspection(world, started=True)
    return {"inspectionId": _gid(inspection), "kind": "OVERVIEW", "file": photo_part()}


async def _issue(world: World) -> dict[str, Any]:
    inspection = await _inspection(world, started=True)
    async with world.database.transaction() as session:
        await inspections.complete_inspection(
            session,
            OPS,
            _gid(inspection),
            inspections.Completion(result=QcResult.HOLD, bulk=QcBulk.PASS_ALL),
        )
        issue = (
            await session.scalars(
                select(InboundIssue).where(InboundIssue.shipment_id == inspection.subject_id)
            )
        ).one()
    return {"issueId": encode_id("InboundIssue", issue.id), "resolution": "CREDIT"}


SHIPMENT_Q = "query($id: ID) { inboundShipment(id: $id) { %s } }"
INSPECTION_Q = "query($id: ID) { qcInspection(id: $id) { %s } }"

CASES: list[Case] = [
    # -- root queries ("View inbound = A O · ◐ M"; readonly reads)
    Case("Query.inboundShipments", "{ inboundShipments { totalCount } }", "UAOMR"),
    Case("Query.inboundShipment", SHIPMENT_Q % "shipmentNumber", "UAOMR", _shipment_id),
    Case("Query.qcInspections", "{ qcInspections { totalCount } }", "UAOMR"),
    Case("Query.qcInspection", INSPECTION_Q % "inspectionNumber", "UAOMR", _inspection_id),
    # -- relations into another permission's type
    Case("InboundShipment.sourceJob", SHIPMENT_Q % "sourceJob { id }", "UAOMR", _shipment_id),
    Case(
        "InboundShipment.fulfillmentCenter",
        SHIPMENT_Q % "fulfillmentCenter { code }",
        "UAOR",
        _shipment_id,
    ),
    # -- mutations (ops' warehouse work; "Perform QC = A O")
    mutation_case("createInboundShipment", "UAO", _create),
    mutation_case("transitionInboundShipment", "UAO", _move),
    mutation_case("receiveInboundShipment", "UAO", _receive),
    mutation_case("createQcInspection", "UAO", _create_qc),
    mutation_case("startQcInspection", "UAO", _inspection_id),
    mutation_case("completeQcInspection", "UAO", _complete),
    mutation_case("addQcPhoto", "UAO", _photo),
    mutation_case("resolveInboundIssue", "UAO", _issue),
]
