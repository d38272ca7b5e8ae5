"""Issue 26's end to end: jobs shipped through the API produce their inbound shipments; QC
passing stocks them; the order's outbound shipment is proposed when its last line arrives;
shipping it puts the tracking on the order's `orderChanged` stream."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from auth.permissions import Role
from db.models import JobItem, OrderItem
from db.publications.orders import order_channel
from domain.jobs import JobStatus
from domain.orders import OrderStatus
from resolvers.ids import decode_id
from tests.support import seeding
from tests.support.inbound import COMPLETE_QC, SHIPMENT_OF_JOB, Inbound, inbound_world
from tests.support.job_support import transition
from tests.support.live import subscribe
from tests.support.realtime import live, token

OUTBOUND_OF = """query($order: ID!) { outboundShipments(filter: {orderId: $order}) {
  totalCount edges { node { id status proposed } } } }"""
MOVE_OUT = """mutation($input: TransitionOutboundShipmentInput!) {
  transitionOutboundShipment(input: $input) {
    outboundShipment { status trackingNumber } errors { code message } } }"""
ORDER_STREAM = """subscription($id: ID!) { orderChanged(id: $id) {
  table outboundShipment { status carrier trackingNumber trackingUrl } } }"""


async def _order_in_two_jobs(w: Inbound) -> tuple[str, list[str]]:
    """An approved order of two lines (5 units each of the world's variant), each line made
    by a job of its own, both ready to ship."""
    order = await seeding.order(
        w.database, status=OrderStatus.APPROVED, items=[(w.world.variant_id, 5)] * 2
    )
    async with w.database.transaction() as session:
        lines = (
            await session.scalars(
                select(OrderItem).where(OrderItem.order_id == order.id).order_by(OrderItem.position)
            )
        ).all()
    jobs = []
    for line in lines:
        job = await seeding.job(
            w.database,
            manufacturer_id=w.world.own_id,
            status=JobStatus.READY_TO_SHIP,
            order_id=order.id,
            quantity=5,
        )
        async with w.database.transaction() as session:
            session.add(JobItem(job_id=job.id, order_item_id=line.id, quantity=5))
        jobs.append(seeding.gid(job))
    return seeding.gid(order), jobs


async def _ship_and_pass(w: Inbound, job_id: str) -> None:
    """transitionJob → SHIPPED; then its inbound is received and passes QC."""
    shipped = await transition(
        w.admin, job_id, "SHIPPED", shippingCarrier="UPS", trackingNumber="1Z" + job_id[-6:]
    )
    assert shipped["errors"] == [], shipped["errors"]
    found = await w.admin(SHIPMENT_OF_JOB, {"job": job_id})
    (edge,) = found["inboundShipments"]["edges"]
    assert edge["node"]["status"] == "EXPECTED"
    await w.receive(edge["node"]["id"])
    inspection = await w.inspecting(edge["node"]["id"])
    done = await w.admin.mutate(
        COMPLETE_QC, {"input": {"id": inspection["id"], "result": "PASS", "bulk": "PASS_ALL"}}
    )
    assert done["errors"] == [], done["errors"]
    assert done["inspection"]["inboundShipment"]["status"] == "STOCKED"


async def test_shipped_jobs_are_stocked_and_the_order_ships_when_its_last_line_arrives(
    live_settings: Any, database: Any
) -> None:
    async with live(live_settings) as (server, admin):
        w = await inbound_world(admin, database)
        order_id, (first, last) = await _order_in_two_jobs(w)

        await _ship_and_pass(w, first)
        ledger = await w.ledger()
        assert (ledger.on_hand, ledger.reserved) == (5, 0)
        # Half the order is in stock: nothing is proposed yet.
        assert (await admin(OUTBOUND_OF, {"order": order_id}))["outboundShipments"][
            "totalCount"
        ] == 0

        await _ship_and_pass(w, last)
        proposed = (await admin(OUTBOUND_OF, {"order": order_id}))["outboundShipments"]
        (edge,) = proposed["edges"]
        assert edge["node"]["status"] == "PENDING" and edge["node"]["proposed"] is True
        ledger = await w.ledger()
        assert ledger.balances and (ledger.on_hand, ledger.reserved, ledger.incoming) == (10, 10, 0)

        outbound_id = edge["node"]["id"]
        async with subscribe(
            server.url, token(live_settings, Role.OPS), ORDER_STREAM, {"id": order_id}
        ) as stream:
            await server.subscribed(order_channel(decode_id(order_id)[1]))
            for status in ("PICKING", "PACKING", "PACKED"):
                moved = await admin.mutate(
                    MOVE_OUT, {"input": {"id": outbound_id, "status": status}}
                )
                assert moved["errors"] == [], moved["errors"]
            shipped = await admin.mutate(
                MOVE_OUT,
                {
                    "input": {
                        "id": outbound_id,
                        "status": "SHIPPED",
                        "carrier": "FEDEX",
                        "trackingNumber": "7788",
                    }
                },
            )
            assert shipped["errors"] == [], shipped["errors"]

            seen = None
            for _ in range(10):
                change = (await stream.data())["orderChanged"]
                package = change["outboundShipment"]
                if package is not None and package["status"] == "SHIPPED":
                    seen = package
                    break
            assert seen == {
                "status": "SHIPPED",
                "carrier": "FEDEX",
                "trackingNumber": "7788",
                "trackingUrl": "https://www.fedex.com/fedextrack/?trknbr=7788",
            }
        ledger = await w.ledger()
        assert ledger.balances and (ledger.on_hand, ledger.reserved) == (0, 0)
