"""`/webhooks/stripe` (BR-48; issue 29 item 3): signed events move a paid draft to submitted
with its "Queued" event, once, whatever Stripe redelivers; everything else does what the
issue says and changes nothing it should not."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

import schema.checkout.webhook as webhook_route
from auth.actor import Actor
from resolvers.checkout.webhook import receive
from settings import Settings
from tests.support.checkout_world import Shop, deliver, order_state, paid_event
from tests.support.graphql import GraphQLClient
from tests.support.order_factories import ERRORS
from tests.support.stripe_signing import signed_request

QUEUED = {
    "status": "Queued",
    "message": "Payment confirmed, order queued for production",
    "orderStatus": "SUBMITTED",
}
CANCEL = "mutation($input: CancelOrderInput!) { cancelOrder(input: $input) { " + ERRORS + " } }"
NOTIFICATIONS = "{ notifications { edges { node { type title } } } }"


async def test_a_paid_session_submits_the_draft_with_the_queued_event(shop: Shop) -> None:
    placed = await shop.place()
    response = await deliver(shop.admin, paid_event(shop, placed))
    assert response.status_code == 200
    assert response.json()["outcome"] == "applied"
    state = await order_state(shop.customer, placed["order"]["id"])
    assert state["status"] == "SUBMITTED"
    assert state["displayStatus"] == "Queued"
    assert state["events"][-1] == QUEUED
    assert state["payments"] == [
        {
            "status": "PAID",
            "amount": {"amount": "67.00"},
            "holdReason": None,
            "stripeSessionId": placed["checkoutSession"]["stripeSessionId"],
        }
    ]
    assert state["checkoutSessions"] == [{"attempt": 1, "status": "COMPLETED"}]


async def test_the_same_event_five_times_submits_once(shop: Shop) -> None:
    placed = await shop.place()
    event = paid_event(shop, placed)
    outcomes = [(await deliver(shop.admin, event)).json()["outcome"] for _ in range(5)]
    assert outcomes == ["applied"] + ["duplicate"] * 4
    state = await order_state(shop.admin, placed["order"]["id"])
    assert state["status"] == "SUBMITTED"
    assert [e for e in state["events"] if e["status"] == "Queued"] == [QUEUED]
    assert len(state["payments"]) == 1


async def test_five_concurrent_deliveries_submit_once(shop: Shop, settings: Settings) -> None:
    if not settings.database_url.startswith("postgresql"):
        pytest.skip("needs concurrent writers: SQLite serialises the whole database")
    placed = await shop.place()
    event = paid_event(shop, placed)
    responses = await asyncio.gather(*(deliver(shop.admin, event) for _ in range(5)))
    assert [r.status_code for r in responses] == [200] * 5
    assert sorted(r.json()["outcome"] for r in responses) == ["applied"] + ["duplicate"] * 4
    state = await order_state(shop.admin, placed["order"]["id"])
    assert [e for e in state["events"] if e["status"] == "Queued"] == [QUEUED]
    assert len(state["payments"]) == 1


@pytest.mark.parametrize(
    "signing",
    [
        {"secret": "whsec_someone_else"},  # forged
        {"at": int(time.time()) - 3600},  # stale: outside the library's tolerance
    ],
    ids=["forged", "stale"],
)
async def test_forged_or_stale_signatures_are_400_and_change_nothing(
    shop: Shop, signing: dict[str, object]
) -> None:
    placed = await shop.place()
    response = await deliver(shop.admin, paid_event(shop, placed), **signing)
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_SIGNATURE"
    state = await order_state(shop.admin, placed["order"]["id"])
    assert state["status"] == "DRAFT"
    assert state["payments"] == []


async def test_an_unsigned_or_tampered_event_is_400(shop: Shop) -> None:
    placed = await shop.place()
    event = paid_event(shop, placed)
    body, headers = signed_request(event)
    unsigned = await shop.admin.http.post("/webhooks/stripe", content=body)
    tampered = await shop.admin.http.post(
        "/webhooks/stripe", content=body.replace(b"6700", b"1"), headers=headers
    )
    assert (unsigned.status_code, tampered.status_code) == (400, 400)
    assert (await order_state(shop.admin, placed["order"]["id"]))["status"] == "DRAFT"


async def test_an_event_for_an_unknown_order_is_acknowledged_and_recorded(shop: Shop) -> None:
    placed = await shop.place()
    event = paid_event(
        shop,
        placed,
        id="cs_test_not_ours",
        metadata={"orderId": "00000000-0000-0000-0000-000000000000", "userId": "x"},
    )
    response = await deliver(shop.admin, event)
    assert (response.status_code, response.json()["outcome"]) == (200, "unknown_order")
    assert (await deliver(shop.admin, event)).json()["outcome"] == "duplicate"
    assert (await order_state(shop.admin, placed["order"]["id"]))["status"] == "DRAFT"


async def test_an_amount_mismatch_holds_the_order_and_alerts_ops(shop: Shop) -> None:
    placed = await shop.place()
    response = await deliver(shop.admin, paid_event(shop, placed, amount_total=100))
    assert response.json()["outcome"] == "held"
    state = await order_state(shop.admin, placed["order"]["id"])
    assert state["status"] == "DRAFT"
    assert state["priority"] == "HOLD"
    (payment,) = state["payments"]
    assert payment["status"] == "HELD"
    assert payment["amount"] == {"amount": "1.00"}
    assert payment["holdReason"] == "paid 1.00, the order's total is 67.00"
    notices = (await shop.admin(NOTIFICATIONS))["notifications"]["edges"]
    assert [n["node"]["type"] for n in notices] == ["PAYMENT_HELD"]


async def test_a_payment_for_a_canceled_order_is_held_not_applied(shop: Shop) -> None:
    placed = await shop.place()
    canceled = await shop.customer.mutate(
        CANCEL, {"input": {"id": placed["order"]["id"], "reason": "Changed my mind"}}
    )
    assert canceled["errors"] == []
    response = await deliver(shop.admin, paid_event(shop, placed))
    assert response.json()["outcome"] == "held"
    state = await order_state(shop.admin, placed["order"]["id"])
    assert state["status"] == "CANCELED"
    assert state["payments"][0]["status"] == "HELD"
    assert state["payments"][0]["holdReason"] == "the order is canceled, not an unpaid draft"
    assert not [e for e in state["events"] if e["status"] == "Queued"]


async def test_an_expired_session_leaves_the_draft_payable(shop: Shop) -> None:
    placed = await shop.place()
    session = shop.fake.sessions[placed["checkoutSession"]["stripeSessionId"]]
    session["status"] = "expired"
    response = await deliver(shop.admin, shop.fake.event("checkout.session.expired", dict(session)))
    assert response.json()["outcome"] == "lapsed"
    state = await order_state(shop.customer, placed["order"]["id"])
    assert state["status"] == "DRAFT"
    assert state["checkoutSessions"] == [{"attempt": 1, "status": "EXPIRED"}]
    assert state["events"][-1]["message"] == (
        "Checkout expired before payment; the order can still be paid"
    )


async def test_an_expiry_arriving_after_the_payment_changes_nothing(shop: Shop) -> None:
    placed = await shop.place()
    paid = paid_event(shop, placed)
    expired = shop.fake.event("checkout.session.expired", paid["data"]["object"])
    assert (await deliver(shop.admin, paid)).json()["outcome"] == "applied"
    assert (await deliver(shop.admin, expired)).json()["outcome"] == "stale"
    state = await order_state(shop.admin, placed["order"]["id"])
    assert state["status"] == "SUBMITTED"
    assert state["checkoutSessions"] == [{"attempt": 1, "status": "COMPLETED"}]


async def test_a_delayed_payment_applies_on_async_payment_succeeded(shop: Shop) -> None:
    placed = await shop.place()
    session = shop.fake.pay(placed["checkoutSession"]["stripeSessionId"])
    unpaid = shop.fake.event("checkout.session.completed", {**session, "payment_status": "unpaid"})
    assert (await deliver(shop.admin, unpaid)).json()["outcome"] == "awaiting_payment"
    assert (await order_state(shop.admin, placed["order"]["id"]))["status"] == "DRAFT"
    succeeded = shop.fake.event("checkout.session.async_payment_succeeded", session)
    assert (await deliver(shop.admin, succeeded)).json()["outcome"] == "applied"
    assert (await order_state(shop.admin, placed["order"]["id"]))["status"] == "SUBMITTED"


async def test_a_database_failure_answers_503_and_the_retry_applies(
    shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    placed = await shop.place()
    event = paid_event(shop, placed)
    real = receive

    async def database_gone(session: AsyncSession, actor: Actor, event: Any) -> Any:
        await real(session, actor, event)  # the work is done, then the commit fails
        raise OperationalError("COMMIT", None, ConnectionError("server closed the connection"))

    monkeypatch.setattr(webhook_route, "receive", database_gone)
    assert (await deliver(shop.admin, event)).status_code == 503
    assert (await order_state(shop.admin, placed["order"]["id"]))["status"] == "DRAFT"
    monkeypatch.setattr(webhook_route, "receive", real)
    assert (await deliver(shop.admin, event)).json()["outcome"] == "applied"
    assert (await order_state(shop.admin, placed["order"]["id"]))["status"] == "SUBMITTED"


async def test_without_a_webhook_secret_events_are_refused_with_503(
    checkout_settings: Settings, shop: Shop
) -> None:
    placed = await shop.place()
    unset = replace(
        checkout_settings,
        payments=replace(checkout_settings.payments, stripe_webhook_secret=None),
    )
    async with GraphQLClient.for_settings(unset) as admin:
        response = await deliver(admin, paid_event(shop, placed))
    assert response.status_code == 503
    assert (await order_state(shop.admin, placed["order"]["id"]))["status"] == "DRAFT"
