"""The inbound rules around the §6 flow: expecting a shipment by hand, a QC hold, the moves
the machine refuses, photos refused and accepted, and the audit trail every write leaves."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from db.models import AuditLog, InboundShipment, QcPhoto
from domain.jobs import JobStatus
from domain.notifications import NotificationAudience, NotificationType
from resolvers.ids import decode_id
from tests.support import seeding
from tests.support.db_state import row_counts
from tests.support.files import pdf_bytes, photo_part
from tests.support.graphql import GraphQLClient
from tests.support.inbound import (
    COMPLETE_QC,
    CREATE,
    MOVE,
    PHOTO,
    inbound_world,
    notifications_of,
)


async def test_ops_expect_a_shipment_by_hand_at_the_default_center(
    client: GraphQLClient, database: Any
) -> None:
    w = await inbound_world(client, database)
    job = await w.world.job(JobStatus.SHIPPED, items=2)
    made = await w.admin.mutate(
        CREATE,
        {
            "input": {
                "jobId": seeding.gid(job),
                "carrier": "USPS",
                "trackingNumber": "9400",
                "expectedArrival": "2026-12-20",
            }
        },
    )
    assert made["errors"] == []
    shipment = made["shipment"]
    assert shipment["status"] == "EXPECTED" and shipment["expectedArrival"] == "2026-12-20"
    assert shipment["trackingUrl"] == "https://tools.usps.com/go/TrackConfirmAction?tLabels=9400"
    assert [i["expectedQuantity"] for i in shipment["items"]] == [5, 5]  # the job's items
    ledger = await w.ledger()
    assert ledger.balances and ledger.incoming == 10

    # Its own items; every write audited.
    given = await w.admin.mutate(
        CREATE,
        {
            "input": {
                "jobId": seeding.gid(job),
                "fulfillmentCenterId": w.center_id,
                "items": [{"variantId": w.world.variant["id"], "expectedQuantity": 7}],
            }
        },
    )
    assert [i["expectedQuantity"] for i in given["shipment"]["items"]] == [7]
    async with database.transaction() as session:
        audited = (
            await session.scalars(
                select(AuditLog.entity_type).where(
                    AuditLog.entity_id == decode_id(given["shipment"]["id"])[1]
                )
            )
        ).all()
    assert audited == ["InboundShipment"]
    assert (await w.ledger()).incoming == 17


async def test_bad_input_is_refused_with_its_field_and_changes_nothing(
    client: GraphQLClient, database: Any
) -> None:
    w = await inbound_world(client, database)
    job = await w.world.job(JobStatus.SHIPPED)
    before = await row_counts(database)
    cases = [
        ({"jobId": "bm90LWFuLWlk"}, "jobId"),
        (
            {
                "jobId": seeding.gid(job),
                "items": [{"variantId": w.world.variant["id"], "expectedQuantity": 0}],
            },
            "expectedQuantity",
        ),
        ({"jobId": seeding.gid(job), "trackingNumber": "x" * 101}, "trackingNumber"),
        ({"jobId": seeding.gid(job), "items": []}, "items"),
    ]
    for values, field in cases:
        refused = await w.admin.mutate(CREATE, {"input": values})
        assert refused["shipment"] is None, values
        assert refused["errors"][0]["field"][-1] == field, refused["errors"]
    assert await row_counts(database) == before


async def test_a_hold_stocks_nothing_and_raises_an_issue_for_the_admins_only(
    client: GraphQLClient, database: Any
) -> None:
    w = await inbound_world(client, database)
    shipment = await w.received()
    inspection = await w.inspecting(shipment["id"])
    held = await w.admin.mutate(
        COMPLETE_QC, {"input": {"id": inspection["id"], "result": "HOLD", "bulk": "PASS_ALL"}}
    )
    assert held["errors"] == []
    after = held["inspection"]["inboundShipment"]
    assert after["status"] == "ISSUE"
    assert after["issues"] == [
        {"result": "HOLD", "failedQuantity": 5, "isOpen": True, "resolution": None}
    ]
    ledger = await w.ledger()
    assert ledger.balances and (ledger.on_hand, ledger.incoming) == (0, 0)
    notices = await notifications_of(database, NotificationType.QC_FAILED.value)
    assert [n.audience for n in notices] == [NotificationAudience.ADMIN]


async def test_the_machine_refuses_moves_it_does_not_have(
    client: GraphQLClient, database: Any
) -> None:
    w = await inbound_world(client, database)
    _, shipment = await w.shipped_job()
    for status, mutation in (("DELIVERED", None), ("STOCKED", "QC inspections")):
        refused = await w.admin.mutate(MOVE, {"input": {"id": shipment["id"], "status": status}})
        assert refused["errors"][0]["code"] == "INVALID_TRANSITION", status
        if mutation:
            assert mutation in refused["errors"][0]["message"]
    assert shipment["allowedTransitions"] == ["IN_TRANSIT", "RECEIVED"]
    # A manufacturer reads its shipment but may move nothing.
    mine = await w.world.manufacturer()(
        "query($id: ID) { inboundShipment(id: $id) { allowedTransitions } }",
        {"id": shipment["id"]},
    )
    assert mine["inboundShipment"]["allowedTransitions"] == []
    async with database.transaction() as session:
        row = await session.get(InboundShipment, decode_id(shipment["id"])[1])
        assert row is not None and row.status.value == "EXPECTED" and row.version == 1


async def test_qc_photos_are_checked_by_content_and_refused_once_completed(
    client: GraphQLClient, database: Any
) -> None:
    w = await inbound_world(client, database)
    shipment = await w.received()
    inspection = await w.inspecting(shipment["id"])
    not_an_image = await w.admin.mutate(
        PHOTO,
        {
            "input": {
                "inspectionId": inspection["id"],
                "kind": "DEFECT",
                "file": photo_part("defect.jpg", pdf_bytes()),
            }
        },
    )
    assert not_an_image["photo"] is None
    assert not_an_image["errors"][0]["code"].startswith("FILE_")

    added = await w.admin.mutate(
        PHOTO, {"input": {"inspectionId": inspection["id"], "kind": "DEFECT", "file": photo_part()}}
    )
    assert added["errors"] == [] and added["photo"]["kind"] == "DEFECT"
    assert "/files/" in added["photo"]["url"]

    done = await w.admin.mutate(
        COMPLETE_QC,
        {"input": {"id": inspection["id"], "result": "FAIL_REJECT", "bulk": "FAIL_ALL"}},
    )
    assert done["errors"] == []
    late = await w.admin.mutate(
        PHOTO,
        {"input": {"inspectionId": inspection["id"], "kind": "OVERVIEW", "file": photo_part()}},
    )
    assert late["errors"][0]["code"] == "IMMUTABLE"
    async with database.transaction() as session:
        photos = (await session.scalars(select(QcPhoto))).all()
    assert len(photos) == 1
