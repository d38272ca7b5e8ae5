"""createProductionOrder and resumeCheckout (BR-47) through the API and the real `stripe`
library, against the local fake Stripe."""

from __future__ import annotations

from dataclasses import replace

from resolvers.ids import decode_id
from settings import Settings
from tests.support.checkout_world import CREATE, DESIGN_URL, GARMENT, ORIGIN, RESUME, Shop
from tests.support.graphql import GraphQLClient


async def test_a_customer_gets_a_draft_and_a_checkout_url(shop: Shop) -> None:
    payload = await shop.place()
    order = payload["order"]
    assert order["status"] == "DRAFT"
    assert order["displayStatus"] == "Spec Review"
    assert order["imageUrl"] == DESIGN_URL
    assert order["garmentTitle"] == GARMENT
    assert order["etaDays"] == 2
    assert order["total"] == {"amount": "67.00", "currency": "USD"}  # 2 x 12.50 + 3 x 14.00
    assert [
        (li["size"], li["quantity"], li["unitPrice"]["amount"]) for li in order["lineItems"]
    ] == [
        ("S", 2, "12.50"),
        ("L", 3, "14.00"),
    ]
    session = payload["checkoutSession"]
    assert session["status"] == "OPEN"
    assert session["attempt"] == 1
    assert (
        payload["checkoutUrl"]
        == session["url"]
        == f"{shop.fake.url}/pay/{session['stripeSessionId']}"
    )
    assert shop.fake.sessions[session["stripeSessionId"]]["amount_total"] == 6700


async def test_the_session_stripe_receives_is_br47_field_by_field(shop: Shop) -> None:
    payload = await shop.place()
    _, order_pk = decode_id(payload["order"]["id"])
    ((params, key),) = shop.fake.created
    assert params == {
        "mode": "payment",
        "line_items": [
            {
                "price_data": {
                    "currency": "usd",
                    "product_data": {"name": f"{GARMENT} - S", "images": [DESIGN_URL]},
                    "unit_amount": "1250",
                },
                "quantity": "2",
            },
            {
                "price_data": {
                    "currency": "usd",
                    "product_data": {"name": f"{GARMENT} - L", "images": [DESIGN_URL]},
                    "unit_amount": "1400",
                },
                "quantity": "3",
            },
        ],
        "metadata": {"orderId": str(order_pk), "userId": "test-customer"},
        "success_url": f"{ORIGIN}/order-success?order={order_pk}",
        "cancel_url": f"{ORIGIN}/orders/{order_pk}",
    }
    assert key == f"opsgraph-checkout-{order_pk}-1"


async def test_bad_size_runs_are_refused_with_nothing_created(shop: Shop) -> None:
    payload = await shop.customer.mutate(
        CREATE,
        {
            "input": shop.order_input(
                sizes=[
                    {"size": "XXL", "quantity": 1},
                    {"size": "M", "quantity": 0},
                    {"size": "m", "quantity": 2},
                ]
            )
        },
    )
    assert payload["order"] is None
    assert {(e["code"], tuple(e["field"])) for e in payload["errors"]} == {
        ("VALIDATION", ("input", "sizes", "0", "size")),
        ("VALIDATION", ("input", "sizes", "1", "quantity")),
        ("VALIDATION", ("input", "sizes", "2", "size")),
    }
    assert shop.fake.created == []
    orders = await shop.admin("{ orders { totalCount } }")
    assert orders["orders"]["totalCount"] == 0


async def test_stripe_down_keeps_a_payable_draft_and_resume_gives_a_fresh_session(
    shop: Shop,
) -> None:
    shop.fake.down = True
    payload = await shop.customer.mutate(CREATE, {"input": shop.order_input()})
    assert [e["code"] for e in payload["errors"]] == ["PAYMENT_PROVIDER_UNAVAILABLE"]
    assert payload["order"]["status"] == "DRAFT"
    assert payload["checkoutUrl"] is None
    assert payload["checkoutSession"]["status"] == "FAILED"

    shop.fake.down = False
    resumed = await shop.customer.mutate(RESUME, {"input": {"orderId": payload["order"]["id"]}})
    assert resumed["errors"] == []
    assert resumed["checkoutSession"]["attempt"] == 2
    assert resumed["checkoutSession"]["status"] == "OPEN"
    assert resumed["checkoutUrl"].startswith(shop.fake.url)
    assert resumed["order"]["id"] == payload["order"]["id"]


async def test_resume_expires_the_session_it_replaces(shop: Shop) -> None:
    first = await shop.place()
    resumed = await shop.customer.mutate(RESUME, {"input": {"orderId": first["order"]["id"]}})
    assert resumed["errors"] == []
    old = first["checkoutSession"]["stripeSessionId"]
    assert shop.fake.sessions[old]["status"] == "expired"
    assert resumed["checkoutSession"]["stripeSessionId"] != old
    keys = [key for _, key in shop.fake.created]
    assert keys[0] != keys[1]


async def test_without_a_stripe_key_checkout_is_not_configured_and_nothing_is_made(
    checkout_settings: Settings, shop: Shop
) -> None:
    bare = replace(
        checkout_settings, payments=replace(checkout_settings.payments, stripe_secret_key=None)
    )
    async with GraphQLClient.for_settings(bare) as admin:
        payload = await admin.mutate(
            CREATE, {"input": {**shop.order_input(), "customerId": shop.customer_id}}
        )
        assert [e["code"] for e in payload["errors"]] == ["PAYMENTS_NOT_CONFIGURED"]
        assert payload["order"] is None
        assert (await admin("{ orders { totalCount } }"))["orders"]["totalCount"] == 0
