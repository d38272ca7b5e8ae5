"""Item 8: a customer creates and pays only its own orders and sees only its own payments;
ops see and act on all of them."""

from __future__ import annotations

from auth.permissions import Role
from resolvers.ids import decode_id
from tests.support.checkout_world import CREATE, RESUME, Shop, deliver, order_state, paid_event
from tests.support.graphql import GraphQLClient
from tests.support.order_factories import CREATE_CUSTOMER


async def _other_customer(shop: Shop) -> tuple[str, GraphQLClient]:
    other = await shop.admin.mutate_ok(CREATE_CUSTOMER, {"name": "Bob"}, "customer")
    return other["id"], shop.other_customer(decode_id(other["id"])[1])


async def test_a_customer_cannot_order_for_another_customer(shop: Shop) -> None:
    other_id, _ = await _other_customer(shop)
    payload = await shop.customer.mutate(
        CREATE, {"input": {**shop.order_input(), "customerId": other_id}}
    )
    assert [e["code"] for e in payload["errors"]] == ["NOT_FOUND"]
    assert shop.fake.created == []


async def test_a_customer_cannot_resume_or_read_another_customers_order(shop: Shop) -> None:
    placed = await shop.place()
    _, other = await _other_customer(shop)
    resumed = await other.mutate(RESUME, {"input": {"orderId": placed["order"]["id"]}})
    assert [e["code"] for e in resumed["errors"]] == ["NOT_FOUND"]
    assert await order_state(other, placed["order"]["id"]) is None
    assert len(shop.fake.created) == 1


async def test_ops_order_on_a_customers_behalf_and_see_its_payment(shop: Shop) -> None:
    ops = shop.admin.as_role(Role.OPS)
    placed = await shop.place(ops, customerId=shop.customer_id)
    assert (await deliver(shop.admin, paid_event(shop, placed))).status_code == 200
    for viewer in (ops, shop.customer):
        state = await order_state(viewer, placed["order"]["id"])
        assert state["status"] == "SUBMITTED"
        assert [p["status"] for p in state["payments"]] == ["PAID"]


async def test_resuming_a_paid_order_is_refused(shop: Shop) -> None:
    placed = await shop.place()
    await deliver(shop.admin, paid_event(shop, placed))
    resumed = await shop.customer.mutate(RESUME, {"input": {"orderId": placed["order"]["id"]}})
    assert [e["code"] for e in resumed["errors"]] == ["INVALID_TRANSITION"]
