"""The whole customer flow of seed 001 through the served app, the real `stripe` library and
a signed webhook: create → checkout URL → `checkout.session.completed` → the order is
SUBMITTED with its "Queued" event, which the customer's `orderChanged` subscription receives
as it commits (BR-49)."""

from __future__ import annotations

from typing import Any

from auth.permissions import Role
from db.publications.orders import order_channel
from resolvers.ids import decode_id
from settings import Settings
from tests.support.checkout_world import deliver, open_shop, paid_event, payments_settings
from tests.support.fake_stripe import FakeStripe
from tests.support.graphql import GraphQLClient, bearer
from tests.support.live import serve, subscribe

ORDER_CHANGED = """
subscription($id: ID!) { orderChanged(id: $id) {
  eventType table
  order { status displayStatus }
  fulfillmentEvent { status message }
} }
"""


async def test_pay_for_a_production_order_and_watch_it_queue_live(
    live_settings: Settings, fake_stripe: FakeStripe
) -> None:
    settings = payments_settings(live_settings, fake_stripe)
    async with serve(settings) as server:
        admin = GraphQLClient(server.app, bearer(settings, Role.ADMIN), owns_app=False)
        shop = await open_shop(admin, fake_stripe)
        placed = await shop.place()
        assert placed["checkoutUrl"].startswith(f"{fake_stripe.url}/pay/cs_test_")
        order_id = placed["order"]["id"]
        _, order_pk = decode_id(order_id)
        _, customer_pk = decode_id(shop.customer_id)
        token = bearer(settings, Role.CUSTOMER, customer_id=customer_pk)["Authorization"]

        async with subscribe(server.url, token, ORDER_CHANGED, {"id": order_id}) as sub:
            await server.subscribed(order_channel(order_pk))
            response = await deliver(admin, paid_event(shop, placed))
            assert response.status_code == 200
            seen: list[dict[str, Any]] = []
            while not any(c["fulfillmentEvent"] for c in seen) or not any(
                c["table"] == "orders" for c in seen
            ):
                seen.append((await sub.data())["orderChanged"])

        update = next(c for c in seen if c["table"] == "orders")
        assert update["eventType"] == "UPDATE"
        assert update["order"] == {"status": "SUBMITTED", "displayStatus": "Queued"}
        event = next(c for c in seen if c["fulfillmentEvent"])
        assert event["eventType"] == "INSERT"
        assert event["fulfillmentEvent"] == {
            "status": "Queued",
            "message": "Payment confirmed, order queued for production",
        }
        await admin.http.aclose()
