"""Shared setup for the inbound and QC tests (no tests here): a default fulfillment center, a
job shipped through the API, the documents the tests send, the ledger as it stands."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from db.engine import Database
from db.models import Notification
from domain.jobs import JobStatus
from resolvers.ids import encode_id
from tests.support import fulfillment, seeding
from tests.support.files import photo_part
from tests.support.graphql import GraphQLClient
from tests.support.job_support import Catalog, catalog, transition

SHIPMENT_FIELDS = """
  id shipmentNumber status version sourceType carrier trackingNumber trackingUrl
  expectedArrival receivedAt packageCondition temperatureOnArrival isLost allowedTransitions
  sourceJob { id jobNumber }
  items { id expectedQuantity receivedQuantity passedQuantity failedQuantity variant { sku } }
  inspections { inspectionNumber status result }
  issues { result failedQuantity isOpen resolution }
"""
SHIPMENT_PAYLOAD = "shipment { " + SHIPMENT_FIELDS + " } errors { code field message }"
INSPECTION_PAYLOAD = (
    "inspection { id inspectionNumber status result version"
    " lines { passedQuantity failedQuantity item { id } }"
    " photos { kind url } checklist { item passed note }"
    " inboundShipment { " + SHIPMENT_FIELDS + " } } errors { code field message }"
)


def mutation(name: str, payload: str) -> str:
    input_type = name[0].upper() + name[1:] + "Input"
    return f"mutation($input: {input_type}!) {{ {name}(input: $input) {{ {payload} }} }}"


CREATE = mutation("createInboundShipment", SHIPMENT_PAYLOAD)
MOVE = mutation("transitionInboundShipment", SHIPMENT_PAYLOAD)
RECEIVE = mutation("receiveInboundShipment", SHIPMENT_PAYLOAD)
CREATE_QC = mutation("createQcInspection", INSPECTION_PAYLOAD)
START_QC = mutation("startQcInspection", INSPECTION_PAYLOAD)
COMPLETE_QC = mutation("completeQcInspection", INSPECTION_PAYLOAD)
RESOLVE = mutation(
    "resolveInboundIssue",
    "issue { isOpen resolution shipment { status } } errors { code field message }",
)
PHOTO = mutation(
    "addQcPhoto", "photo { id kind url } inspection { id } errors { code field message }"
)
SHIPMENT_OF_JOB = (
    "query($job: ID!) { inboundShipments(filter: {sourceJobId: $job}) { totalCount"
    " edges { node { " + SHIPMENT_FIELDS + " } } } }"
)


@dataclass
class Inbound:
    """A catalog, a default center and the admin who ships and receives."""

    world: Catalog
    center_pk: uuid.UUID

    @property
    def admin(self) -> GraphQLClient:
        return self.world.admin

    @property
    def database(self) -> Database:
        return self.world.database

    @property
    def center_id(self) -> str:
        return encode_id("FulfillmentCenter", self.center_pk)

    async def ledger(self) -> fulfillment.Ledger:
        """The level of the world's variant at the center, with its transactions' sums."""
        return await fulfillment.ledger(self.database, self.center_pk, self.world.variant_id)

    async def shipped_job(
        self, items: int = 1, manufacturer_id: uuid.UUID | None = None, **shipping: Any
    ) -> tuple[str, dict[str, Any]]:
        """A job (of the own manufacturer unless told) shipped through the API (transitionJob
        → SHIPPED), and its inbound."""
        job = await self.world.job(
            JobStatus.READY_TO_SHIP, items=items, manufacturer_id=manufacturer_id or "own"
        )
        job_id = seeding.gid(job)
        moved = await transition(
            self.admin,
            job_id,
            "SHIPPED",
            shippingCarrier=shipping.get("carrier", "FEDEX"),
            trackingNumber=shipping.get("tracking", "7712 3456"),
        )
        assert moved["errors"] == [], moved["errors"]
        found = await self.admin(SHIPMENT_OF_JOB, {"job": job_id})
        (edge,) = found["inboundShipments"]["edges"]
        return job_id, edge["node"]

    async def received(self, items: int = 1) -> dict[str, Any]:
        """A shipped job's inbound, received as expected."""
        _, shipment = await self.shipped_job(items)
        return await self.receive(shipment["id"])

    async def receive(self, shipment_id: str, **values: Any) -> dict[str, Any]:
        result = await self.admin.mutate(
            RECEIVE, {"input": {"id": shipment_id, "packageCondition": "GOOD", **values}}
        )
        assert result["errors"] == [], result["errors"]
        shipment: dict[str, Any] = result["shipment"]
        return shipment

    async def inspecting(self, shipment_id: str) -> dict[str, Any]:
        """An IN_PROGRESS inspection of a received shipment."""
        created = await self.admin.mutate(CREATE_QC, {"input": {"shipmentId": shipment_id}})
        assert created["errors"] == [], created["errors"]
        started = await self.admin.mutate(START_QC, {"input": {"id": created["inspection"]["id"]}})
        assert started["errors"] == [], started["errors"]
        inspection: dict[str, Any] = started["inspection"]
        return inspection

    async def defect_photo(self, inspection_id: str) -> None:
        added = await self.admin.mutate(
            PHOTO,
            {"input": {"inspectionId": inspection_id, "kind": "DEFECT", "file": photo_part()}},
        )
        assert added["errors"] == [], added["errors"]


async def inbound_world(admin: GraphQLClient, database: Database) -> Inbound:
    return Inbound(await catalog(admin, database), await fulfillment.center(database, default=True))


async def notifications_of(database: Database, type_value: str) -> list[Notification]:
    async with database.transaction() as session:
        found = await session.scalars(
            select(Notification)
            .where(Notification.type == type_value)
            .order_by(Notification.created_at)
        )
        return list(found.all())
