"""SPEC §6 "3PL inbound [§7.10]", item by item, through the API: a shipped job's inbound, the
awaiting list, arrival, QC start and completion, pass → stocked, fail → issue, partial pass;
each with what the ledger, the notifications and the status history show."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from db.models import InboundShipment
from domain.jobs import JobStatus
from domain.notifications import NotificationType
from resolvers.ids import decode_id
from tests.support import seeding
from tests.support.graphql import GraphQLClient
from tests.support.inbound import (
    COMPLETE_QC,
    CREATE_QC,
    MOVE,
    RESOLVE,
    START_QC,
    Inbound,
    inbound_world,
    notifications_of,
)
from tests.support.job_support import catalog, transition

AWAITING = """query($fc: ID!) { inboundShipments(filter: {
  statuses: [EXPECTED, IN_TRANSIT], fulfillmentCenterId: $fc }) {
  totalCount edges { node { shipmentNumber status } } } }"""


async def _world(client: GraphQLClient, database: Any) -> Inbound:
    return await inbound_world(client, database)


async def _complete(w: Inbound, inspection_id: str, result: str, **values: Any) -> Any:
    return await w.admin.mutate(
        COMPLETE_QC, {"input": {"id": inspection_id, "result": result, **values}}
    )


async def test_1_a_job_shipped_through_the_api_is_expected_at_the_default_center(
    client: GraphQLClient, database: Any
) -> None:
    w = await _world(client, database)
    job_id, shipment = await w.shipped_job(items=2, carrier="FEDEX", tracking="7712 3456")

    assert shipment["status"] == "EXPECTED"
    assert shipment["shipmentNumber"].startswith("INB-")
    assert shipment["sourceType"] == "MANUFACTURING_JOB"
    assert shipment["sourceJob"]["id"] == job_id
    assert shipment["carrier"] == "FEDEX" and shipment["trackingNumber"] == "7712 3456"
    # BR-40, the number escaped.
    assert shipment["trackingUrl"] == "https://www.fedex.com/fedextrack/?trknbr=7712%203456"
    assert [i["expectedQuantity"] for i in shipment["items"]] == [5, 5]
    assert shipment["expectedArrival"] is not None
    # BR-19: incoming raised for what is expected, nothing on hand yet.
    ledger = await w.ledger()
    assert ledger.balances and (ledger.incoming, ledger.on_hand) == (10, 0)


async def test_1_a_job_shipped_with_no_default_center_still_ships_and_the_admins_hear(
    client: GraphQLClient, database: Any
) -> None:
    world = await catalog(client, database)
    job = await world.job(JobStatus.READY_TO_SHIP)
    moved = await transition(
        client, seeding.gid(job), "SHIPPED", shippingCarrier="DHL", trackingNumber="1"
    )
    assert moved["errors"] == [] and moved["job"]["status"] == "SHIPPED"
    (notice,) = await notifications_of(database, NotificationType.INBOUND_UNPLACED.value)
    async with database.transaction() as session:
        count = (await session.execute(select(func.count()).select_from(InboundShipment))).scalar()
    assert count == 0 and notice.job_id == job.id


async def test_2_it_appears_in_the_awaiting_list_until_received(
    client: GraphQLClient, database: Any
) -> None:
    w = await _world(client, database)
    _, first = await w.shipped_job()
    _, second = await w.shipped_job()
    awaiting = (await w.admin(AWAITING, {"fc": w.center_id}))["inboundShipments"]
    assert awaiting["totalCount"] == 2

    await w.receive(first["id"])
    awaiting = (await w.admin(AWAITING, {"fc": w.center_id}))["inboundShipments"]
    assert [e["node"]["shipmentNumber"] for e in awaiting["edges"]] == [second["shipmentNumber"]]


CENTER_STATS = """query($id: ID!) { node(id: $id) {
  ... on FulfillmentCenter { stats { inboundAwaiting } } } }"""


async def test_2_the_centers_stats_count_what_awaits_receipt(
    client: GraphQLClient, database: Any
) -> None:
    w = await _world(client, database)

    async def awaiting() -> int:
        found = await w.admin(CENTER_STATS, {"id": w.center_id})
        return int(found["node"]["stats"]["inboundAwaiting"])

    assert await awaiting() == 0
    _, first = await w.shipped_job()
    _, second = await w.shipped_job()
    moved = await w.admin.mutate(MOVE, {"input": {"id": second["id"], "status": "IN_TRANSIT"}})
    assert moved["errors"] == []
    assert await awaiting() == 2
    await w.receive(first["id"])
    assert await awaiting() == 1


async def test_3_marked_in_transit_delivered_and_received_with_condition_and_count(
    client: GraphQLClient, database: Any
) -> None:
    w = await _world(client, database)
    _, shipment = await w.shipped_job()
    moved = await w.admin.mutate(
        MOVE,
        {
            "input": {
                "id": shipment["id"],
                "status": "IN_TRANSIT",
                "carrier": "UPS",
                "trackingNumber": "1Z9",
            }
        },
    )
    assert moved["errors"] == []
    assert moved["shipment"]["trackingUrl"] == "https://www.ups.com/track?tracknum=1Z9"
    moved = await w.admin.mutate(MOVE, {"input": {"id": shipment["id"], "status": "DELIVERED"}})
    assert moved["shipment"]["status"] == "DELIVERED"

    # Skipping receipt through the plain move is refused, with the mutation to use.
    refused = await w.admin.mutate(MOVE, {"input": {"id": shipment["id"], "status": "RECEIVED"}})
    assert refused["shipment"] is None
    assert refused["errors"][0]["code"] == "INVALID_TRANSITION"
    assert "receiveInboundShipment" in refused["errors"][0]["message"]

    item = shipment["items"][0]
    received = await w.receive(
        shipment["id"],
        temperatureOnArrival="21.5",
        items=[{"itemId": item["id"], "receivedQuantity": 4}],
    )
    assert received["status"] == "RECEIVED"
    assert received["packageCondition"] == "GOOD"
    assert received["temperatureOnArrival"] == "21.50"
    assert received["receivedAt"] is not None
    assert received["items"][0]["receivedQuantity"] == 4
    # One unit short: incoming follows the count (5 expected, 4 here).
    ledger = await w.ledger()
    assert ledger.balances and ledger.incoming == 4


async def test_3_a_shipment_may_be_received_straight_from_expected_but_not_twice(
    client: GraphQLClient, database: Any
) -> None:
    w = await _world(client, database)
    _, shipment = await w.shipped_job()
    await w.receive(shipment["id"])
    again = await w.admin.mutate(
        "mutation($input: ReceiveInboundShipmentInput!) { receiveInboundShipment(input: $input)"
        " { shipment { id } errors { code message } } }",
        {"input": {"id": shipment["id"], "packageCondition": "GOOD"}},
    )
    assert again["errors"][0]["code"] == "INVALID_TRANSITION"
    assert (await w.ledger()).incoming == 5


async def test_4_qc_starts_and_completes_moving_the_shipment_with_it(
    client: GraphQLClient, database: Any
) -> None:
    w = await _world(client, database)
    shipment = await w.received()
    created = await w.admin.mutate(
        CREATE_QC,
        {
            "input": {
                "shipmentId": shipment["id"],
                "checklist": [{"item": "Stitching", "passed": True}],
            }
        },
    )
    inspection = created["inspection"]
    assert inspection["status"] == "PENDING"
    assert inspection["inspectionNumber"].startswith("QC-") and len(
        inspection["inspectionNumber"]
    ) == len("QC-2026-0001")
    assert inspection["checklist"] == [{"item": "Stitching", "passed": True, "note": None}]

    # A second open inspection of the same shipment is refused.
    twice = await w.admin.mutate(CREATE_QC, {"input": {"shipmentId": shipment["id"]}})
    assert twice["errors"][0]["code"] == "CONFLICT"

    started = (await w.admin.mutate(START_QC, {"input": {"id": inspection["id"]}}))["inspection"]
    assert started["status"] == "IN_PROGRESS"
    assert started["inboundShipment"]["status"] == "INSPECTING"

    done = await _complete(w, inspection["id"], "PASS", bulk="PASS_ALL", notes="Fine")
    assert done["errors"] == []
    assert done["inspection"]["status"] == "COMPLETED"
    assert done["inspection"]["result"] == "PASS"


async def test_5_pass_stocks_every_unit_and_clears_incoming(
    client: GraphQLClient, database: Any
) -> None:
    w = await _world(client, database)
    shipment = await w.received(items=2)
    inspection = await w.inspecting(shipment["id"])
    lines = [
        {"itemId": i["id"], "passedQuantity": 5, "failedQuantity": 0} for i in shipment["items"]
    ]
    done = await _complete(w, inspection["id"], "PASS_WITH_NOTES", lines=lines)
    assert done["errors"] == []
    stocked = done["inspection"]["inboundShipment"]
    assert stocked["status"] == "STOCKED"
    assert [i["passedQuantity"] for i in stocked["items"]] == [5, 5]
    assert stocked["issues"] == []
    # Stocked, and at once reserved: the job's order is now complete in stock, so its
    # outbound shipment is proposed (BR-22).
    ledger = await w.ledger()
    assert ledger.balances and (ledger.on_hand, ledger.reserved, ledger.incoming) == (10, 10, 0)


async def test_6_fail_raises_an_issue_stocks_nothing_and_tells_the_manufacturer(
    client: GraphQLClient, database: Any
) -> None:
    w = await _world(client, database)
    shipment = await w.received()
    inspection = await w.inspecting(shipment["id"])

    # BR-21: failures need a defect photo.
    refused = await _complete(w, inspection["id"], "FAIL_REJECT", bulk="FAIL_ALL")
    assert refused["inspection"] is None
    assert refused["errors"][0]["code"] == "VALIDATION"
    assert "DEFECT photo" in refused["errors"][0]["message"]
    assert (await w.ledger()).incoming == 5  # nothing moved

    await w.defect_photo(inspection["id"])
    done = await _complete(w, inspection["id"], "FAIL_REJECT", bulk="FAIL_ALL")
    assert done["errors"] == []
    failed = done["inspection"]["inboundShipment"]
    assert failed["status"] == "ISSUE"
    assert failed["items"][0]["failedQuantity"] == 5
    assert failed["issues"] == [
        {"result": "FAIL_REJECT", "failedQuantity": 5, "isOpen": True, "resolution": None}
    ]
    ledger = await w.ledger()
    assert ledger.balances and (ledger.on_hand, ledger.incoming) == (0, 0)
    (notice,) = [
        n
        for n in await notifications_of(database, NotificationType.QC_FAILED.value)
        if n.manufacturer_id is not None
    ]
    assert notice.manufacturer_id == w.world.own_id
    assert "5 unit(s)" in notice.title

    # The manufacturer sees its shipment's issue; resolving it stocks the shipment.
    resolved = await w.admin.mutate(
        RESOLVE,
        {"input": {"issueId": await _issue_id(w, failed), "resolution": "CREDIT"}},
    )
    assert resolved["errors"] == []
    assert resolved["issue"]["shipment"]["status"] == "STOCKED"


async def _issue_id(w: Inbound, shipment: dict[str, Any]) -> str:
    found = await w.admin(
        "query($id: ID!) { inboundShipment(id: $id) { issues { id } } }", {"id": shipment["id"]}
    )
    issue_id: str = found["inboundShipment"]["issues"][0]["id"]
    return issue_id


async def test_7_a_partial_pass_stocks_the_passed_part_and_ends_in_issue(
    client: GraphQLClient, database: Any
) -> None:
    w = await _world(client, database)
    shipment = await w.received(items=2)
    inspection = await w.inspecting(shipment["id"])
    await w.defect_photo(inspection["id"])
    first, second = shipment["items"]
    done = await _complete(
        w,
        inspection["id"],
        "FAIL_REWORK",
        lines=[
            {"itemId": first["id"], "passedQuantity": 5, "failedQuantity": 0},
            {"itemId": second["id"], "passedQuantity": 3, "failedQuantity": 2, "notes": "Torn"},
        ],
    )
    assert done["errors"] == []
    partial = done["inspection"]["inboundShipment"]
    assert partial["status"] == "ISSUE"
    assert [(i["passedQuantity"], i["failedQuantity"]) for i in partial["items"]] == [
        (5, 0),
        (3, 2),
    ]
    assert partial["issues"][0]["failedQuantity"] == 2
    ledger = await w.ledger()
    assert ledger.balances and (ledger.on_hand, ledger.reserved, ledger.incoming) == (8, 0, 0)


async def test_results_must_agree_with_the_lines_and_cover_every_received_unit(
    client: GraphQLClient, database: Any
) -> None:
    w = await _world(client, database)
    shipment = await w.received(items=2)
    inspection = await w.inspecting(shipment["id"])
    first, second = shipment["items"]
    cases = [
        # A pass that fails units.
        ("PASS", [(first, 4, 1), (second, 5, 0)], "result"),
        # A line that does not add up to what was received.
        ("PASS", [(first, 4, 0), (second, 5, 0)], "passedQuantity"),
        # A line left out.
        ("PASS", [(first, 5, 0)], "lines"),
        # A failure that fails nothing.
        ("FAIL_REWORK", [(first, 5, 0), (second, 5, 0)], "result"),
    ]
    for result, lines, field in cases:
        refused = await _complete(
            w,
            inspection["id"],
            result,
            lines=[
                {"itemId": i["id"], "passedQuantity": p, "failedQuantity": f} for i, p, f in lines
            ],
        )
        assert refused["inspection"] is None, (result, lines)
        assert refused["errors"][0]["code"] == "VALIDATION"
        assert refused["errors"][0]["field"][-1] == field
    ledger = await w.ledger()
    assert ledger.balances and (ledger.on_hand, ledger.incoming) == (0, 10)


async def test_a_manufacturer_sees_only_its_own_jobs_shipments(
    client: GraphQLClient, database: Any
) -> None:
    w = await _world(client, database)
    _, own = await w.shipped_job()
    other_job = await w.world.job(JobStatus.READY_TO_SHIP, manufacturer_id=w.world.other_id)
    await transition(
        w.admin, seeding.gid(other_job), "SHIPPED", shippingCarrier="DHL", trackingNumber="X1"
    )
    query = "{ inboundShipments { totalCount edges { node { shipmentNumber } } } }"
    assert (await w.admin(query))["inboundShipments"]["totalCount"] == 2
    mine = (await w.world.manufacturer()(query))["inboundShipments"]
    assert [e["node"]["shipmentNumber"] for e in mine["edges"]] == [own["shipmentNumber"]]
    theirs = await w.world.manufacturer()(
        "query($n: String) { inboundShipment(shipmentNumber: $n) { id } }",
        {"n": (await _number_of_other(w, own))},
    )
    assert theirs["inboundShipment"] is None


async def _number_of_other(w: Inbound, own: dict[str, Any]) -> str:
    found = await w.admin("{ inboundShipments { edges { node { shipmentNumber } } } }")
    (number,) = [
        str(e["node"]["shipmentNumber"])
        for e in found["inboundShipments"]["edges"]
        if e["node"]["shipmentNumber"] != own["shipmentNumber"]
    ]
    return number


async def test_a_refused_completion_changes_nothing(client: GraphQLClient, database: Any) -> None:
    w = await _world(client, database)
    shipment = await w.received()
    inspection = await w.inspecting(shipment["id"])
    stale = await _complete(w, inspection["id"], "PASS", bulk="PASS_ALL", expectedVersion=99)
    assert stale["errors"][0]["code"] == "CONFLICT"
    async with database.transaction() as session:
        row = await session.get(InboundShipment, decode_id(shipment["id"])[1])
        assert row is not None and row.status.value == "INSPECTING"
    assert (await w.ledger()).on_hand == 0
