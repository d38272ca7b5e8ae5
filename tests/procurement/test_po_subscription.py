"""`purchaseOrderChanged`: a purchase order's changes reach a subscriber as they commit —
its status, its payments and its lots — and a viewer who may not read procurement is refused."""

from __future__ import annotations

from auth.permissions import Role
from tests.support import procurement_factories as pf
from tests.support.live import subscribe
from tests.support.realtime import channel_of, live, token

PO_CHANGED = """
subscription($id: ID!, $after: String) {
  purchaseOrderChanged(id: $id, after: $after) {
    cursor eventType table changedFields
    purchaseOrder { id status paymentStatus lots { lotNumber } }
  }
}"""


async def test_a_purchase_orders_stream_carries_its_moves_payments_and_lots(live_settings):
    async with live(live_settings) as (server, admin):
        supplier, product = await pf.world(admin)
        po = await pf.confirmed_po(admin, supplier["id"], [(product["id"], 4)])
        async with subscribe(
            server.url, token(live_settings), PO_CHANGED, {"id": po["id"]}
        ) as stream:
            await server.subscribed(channel_of(po["id"], "purchase_order"))
            await admin.mutate_ok(pf.RECEIVE, pf.received(po, 4), "lots")
            seen = [(await stream.data())["purchaseOrderChanged"] for _ in range(3)]
            # One commit: the lot made, the line's quantity received, the PO's new status.
            assert [(e["table"], e["eventType"]) for e in seen] == [
                ("lots", "INSERT"),
                ("purchase_order_lines", "UPDATE"),
                ("purchase_orders", "UPDATE"),
            ]
            assert "status" in seen[-1]["changedFields"]
            last = seen[-1]["purchaseOrder"]
            assert last["status"] == "RECEIVED" and len(last["lots"]) == 1
            await admin.mutate_ok(
                pf.RECORD_PAYMENT, pf.btc_payment(po["id"], amountUsd="40.00"), "payment"
            )
            inserted = (await stream.data())["purchaseOrderChanged"]
            assert (inserted["table"], inserted["eventType"]) == (
                "purchase_order_payments",
                "INSERT",
            )
            await stream.nothing_within(0.3)


async def test_a_viewer_without_procurement_is_refused(live_settings):
    async with live(live_settings) as (server, admin):
        supplier, product = await pf.world(admin)
        po = await pf.draft_po(admin, supplier["id"], [(product["id"], 1)])
        async with subscribe(
            server.url, token(live_settings, Role.SALES), PO_CHANGED, {"id": po["id"]}
        ) as stream:
            (error,) = (await stream.next())["errors"]
            assert error["extensions"]["code"] == "FORBIDDEN"
