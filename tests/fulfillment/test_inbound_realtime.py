"""`shipmentChanged`: a warehouse screen following one center sees its inbound shipments
arrive and move as they commit; a manufacturer following it sees only its own."""

from __future__ import annotations

from typing import Any

from auth.permissions import Role
from db.publications.fulfillment import center_shipments_channel
from tests.support.inbound import inbound_world
from tests.support.live import subscribe
from tests.support.realtime import live, token

SHIPMENT_CHANGED = """
subscription($fc: ID!, $after: String) {
  shipmentChanged(fulfillmentCenterId: $fc, after: $after) {
    cursor eventType table changedFields
    inboundShipment { shipmentNumber status trackingUrl manufacturer { name } }
    inspection { inspectionNumber status }
  }
}"""


async def test_a_center_screen_sees_shipments_expected_received_and_inspected(
    live_settings: Any, database: Any
) -> None:
    async with live(live_settings) as (server, admin):
        w = await inbound_world(admin, database)
        channel = center_shipments_channel(w.center_pk)
        async with subscribe(
            server.url, token(live_settings, Role.OPS), SHIPMENT_CHANGED, {"fc": w.center_id}
        ) as stream:
            await server.subscribed(channel)
            _, shipment = await w.shipped_job(carrier="DHL", tracking="JD01")

            expected = (await stream.data())["shipmentChanged"]
            assert expected["eventType"] == "INSERT" and expected["table"] == "inbound_shipments"
            assert expected["inboundShipment"]["shipmentNumber"] == shipment["shipmentNumber"]
            assert expected["inboundShipment"]["status"] == "EXPECTED"
            assert expected["inboundShipment"]["trackingUrl"].endswith("tracking-id=JD01")

            await w.receive(shipment["id"])
            received = (await stream.data())["shipmentChanged"]
            assert received["eventType"] == "UPDATE"
            assert "status" in received["changedFields"]
            assert received["inboundShipment"]["status"] == "RECEIVED"

            await w.inspecting(shipment["id"])
            tables = [(await stream.data())["shipmentChanged"] for _ in range(3)]
            created, started, moved = tables
            assert created["table"] == "qc_inspections"
            assert created["inspection"]["status"] == "PENDING"
            assert {started["table"], moved["table"]} == {"qc_inspections", "inbound_shipments"}
            assert moved["inboundShipment"]["status"] == "INSPECTING"

        # Resuming from the first event replays what followed, in order.
        async with subscribe(
            server.url,
            token(live_settings, Role.OPS),
            SHIPMENT_CHANGED,
            {"fc": w.center_id, "after": expected["cursor"]},
        ) as replay:
            again = (await replay.data())["shipmentChanged"]
            assert again["cursor"] == received["cursor"]


async def test_a_manufacturer_following_a_center_sees_only_its_own_shipments(
    live_settings: Any, database: Any
) -> None:
    async with live(live_settings) as (server, admin):
        w = await inbound_world(admin, database)
        other = token(live_settings, Role.MANUFACTURER, manufacturer_id=w.world.other_id)
        async with subscribe(server.url, other, SHIPMENT_CHANGED, {"fc": w.center_id}) as stream:
            await server.subscribed(center_shipments_channel(w.center_pk))
            await w.shipped_job()  # the own manufacturer's: not for the other one
            _, theirs = await w.shipped_job(manufacturer_id=w.world.other_id)
            first = (await stream.data())["shipmentChanged"]
            assert first["inboundShipment"]["shipmentNumber"] == theirs["shipmentNumber"]

        # Sales read outbound shipments, not inbound ones.
        async with subscribe(
            server.url, token(live_settings, Role.SALES), SHIPMENT_CHANGED, {"fc": w.center_id}
        ) as sales:
            await server.subscribed(center_shipments_channel(w.center_pk))
            await w.shipped_job()
            await sales.nothing_within(0.5)

        customer = token(live_settings, Role.CUSTOMER, customer_id=w.world.own_id)
        async with subscribe(server.url, customer, SHIPMENT_CHANGED, {"fc": w.center_id}) as no:
            (error,) = (await no.next())["errors"]
            assert error["extensions"]["code"] == "FORBIDDEN"
