"""refundOrder (issue 29 item 4): ops cancel a paid order only with a refund, full or partial,
with an idempotency key; `charge.refunded` confirms it."""

from __future__ import annotations

from typing import Any

from auth.permissions import Role
from tests.support.checkout_world import Shop, deliver, order_state, paid_event
from tests.support.graphql import mutation_document
from tests.support.order_factories import ERRORS

REFUND = mutation_document(
    "refundOrder",
    "refund { status amount { amount } cancelsOrder stripeRefundId confirmedAt } "
    "order { status cancelReason } " + ERRORS,
)
CANCEL = "mutation($input: CancelOrderInput!) { cancelOrder(input: $input) { " + ERRORS + " } }"
REFUNDS = """query($id: ID!) { node(id: $id) { ... on Order {
  payments { status amountRefunded { amount } refunds { status amount { amount } } } } } }"""


async def _paid(shop: Shop) -> Any:
    placed = await shop.place()
    assert (await deliver(shop.admin, paid_event(shop, placed))).json()["outcome"] == "applied"
    return placed


async def test_a_paid_order_cannot_be_canceled_without_a_refund(shop: Shop) -> None:
    placed = await _paid(shop)
    payload = await shop.admin.mutate(
        CANCEL, {"input": {"id": placed["order"]["id"], "reason": "Out of stock"}}
    )
    assert [e["code"] for e in payload["errors"]] == ["INVALID_TRANSITION"]
    assert (await order_state(shop.admin, placed["order"]["id"]))["status"] == "SUBMITTED"


async def test_a_full_refund_cancels_the_order_once_whatever_the_retries(shop: Shop) -> None:
    placed = await _paid(shop)
    ops = shop.admin.as_role(Role.OPS)
    values = {"orderId": placed["order"]["id"], "reason": "Out of stock", "idempotencyKey": "r-1"}
    first = await ops.mutate(REFUND, {"input": values})
    assert first["errors"] == []
    assert first["refund"]["status"] == "PENDING"
    assert first["refund"]["amount"] == {"amount": "67.00"}
    assert first["order"] == {"status": "CANCELED", "cancelReason": "Out of stock"}
    again = await ops.mutate(REFUND, {"input": values})
    assert again["refund"]["stripeRefundId"] == first["refund"]["stripeRefundId"]
    assert len(shop.fake.refunds) == 1
    (refund,) = shop.fake.refunds.values()
    assert refund["amount"] == 6700

    intent = refund["payment_intent"]
    event = shop.fake.event("charge.refunded", shop.fake.charge_refunded(intent))
    assert (await deliver(shop.admin, event)).json()["outcome"] == "refund_confirmed"
    state = (await shop.customer(REFUNDS, {"id": placed["order"]["id"]}))["node"]
    assert state["payments"] == [
        {
            "status": "REFUNDED",
            "amountRefunded": {"amount": "67.00"},
            "refunds": [{"status": "SUCCEEDED", "amount": {"amount": "67.00"}}],
        }
    ]


async def test_a_partial_refund_keeps_the_order_and_what_is_left_is_the_limit(shop: Shop) -> None:
    placed = await _paid(shop)
    base = {"orderId": placed["order"]["id"], "reason": "Two shirts misprinted"}
    partial = await shop.admin.mutate(
        REFUND,
        {"input": {**base, "idempotencyKey": "p-1", "amount": "25.00", "cancelOrder": False}},
    )
    assert partial["errors"] == []
    assert partial["order"]["status"] == "SUBMITTED"
    too_much = await shop.admin.mutate(
        REFUND,
        {"input": {**base, "idempotencyKey": "p-2", "amount": "42.01", "cancelOrder": False}},
    )
    assert [(e["code"], e["field"]) for e in too_much["errors"]] == [
        ("VALIDATION", ["input", "amount"])
    ]
    assert [r["amount"] for r in shop.fake.refunds.values()] == [2500]


async def test_stripe_down_keeps_the_refund_owed_and_the_same_key_retries(shop: Shop) -> None:
    placed = await _paid(shop)
    values = {"orderId": placed["order"]["id"], "reason": "Customer asked", "idempotencyKey": "k"}
    shop.fake.down = True
    failed = await shop.admin.mutate(REFUND, {"input": values})
    assert [e["code"] for e in failed["errors"]] == ["PAYMENT_PROVIDER_UNAVAILABLE"]
    assert failed["refund"]["status"] == "FAILED"
    shop.fake.down = False
    retried = await shop.admin.mutate(REFUND, {"input": values})
    assert retried["errors"] == []
    assert retried["refund"]["status"] == "PENDING"
    assert len(shop.fake.refunds) == 1


async def test_customers_cannot_refund(shop: Shop) -> None:
    placed = await _paid(shop)
    body = await shop.customer.raw(
        REFUND,
        {"input": {"orderId": placed["order"]["id"], "reason": "x", "idempotencyKey": "c"}},
    )
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert shop.fake.refunds == {}
